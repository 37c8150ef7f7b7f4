import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { jsonDepth, jsonShape } from './sanitize.js'

/** Depth of a parsed JSON value, the plain recursive way. */
function depthOf(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0
  const children = Array.isArray(v) ? v : Object.values(v)
  return 1 + children.reduce((m: number, c) => Math.max(m, depthOf(c)), 0)
}

describe('jsonDepth', () => {
  it('equals the depth of the parsed value, whatever the strings hold', () => {
    // Strings full of brackets, quotes and backslashes are what the string skipping must get right.
    const tricky = fc.string({
      unit: fc.constantFrom('{', '}', '[', ']', '"', '\\', 'a', 'é', '\u0000'),
    })
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        tricky,
        fc.integer(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
      ),
    })).value
    fc.assert(
      fc.property(json, fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined)
        expect(jsonDepth(text)).toBe(depthOf(v))
      }),
      { numRuns: 2000 },
    )
  })

  it('counts nesting past the limit, and stops at an unterminated string', () => {
    expect(jsonDepth('['.repeat(40) + ']'.repeat(40))).toBe(40)
    expect(jsonDepth('{"a":"\\\\"}')).toBe(1)
    expect(jsonDepth('[["x\\"]]')).toBe(2)
  })
})

/** A JSON number token in any form JSON allows, with or without an exponent. */
const numberToken = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,30}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,30}$/)),
    fc.option(
      fc.tuple(
        fc.constantFrom('e', 'E'),
        fc.constantFrom('', '+', '-'),
        fc.integer({ min: 0, max: 400 }),
      ),
    ),
  )
  .map(([neg, int, frac, exp]) => {
    const e = exp ? `${exp[0]}${exp[1]}${exp[2]}` : ''
    return {
      text: `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${e}`,
      exponent: !!exp,
    }
  })
/** JSON text with strings written every way JSON allows (escapes for any character). */
type Text = { text: string; exponent: boolean }
const jsonText: fc.Arbitrary<Text> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    numberToken,
    fc.constantFrom('true', 'false', 'null', ' true ').map((text) => ({ text, exponent: false })),
    fc
      .array(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 3 }).map((c) => JSON.stringify(c).slice(1, -1)),
          fc.integer({ min: 0, max: 0xffff }).map((u) => `\\u${u.toString(16).padStart(4, '0')}`),
          fc.constantFrom('\\/', '\\n', '\\"', 'e1', '1e5', 'é', '中', '😀'),
        ),
        { maxLength: 6 },
      )
      .map((parts) => ({ text: `"${parts.join('')}"`, exponent: false })),
    fc.array(tie('value') as fc.Arbitrary<Text>, { maxLength: 4 }).map((items) => ({
      text: `[ ${items.map((i) => i.text).join(' , ')} ]`,
      exponent: items.some((i) => i.exponent),
    })),
    fc.array(tie('value') as fc.Arbitrary<Text>, { maxLength: 4 }).map((items) => ({
      text: `{${items.map((i, n) => `"k${n % 2}" : ${i.text}`).join(',')}}`,
      exponent: items.some((i) => i.exponent),
    })),
  ),
})).value

describe('jsonShape', () => {
  it('finds exponents; without one, no value re-serializes to more bytes than its text', () => {
    const bytes = (s: string) => new TextEncoder().encode(s).byteLength
    fc.assert(
      fc.property(jsonText, ({ text, exponent }) => {
        expect(jsonShape(text).exponent).toBe(exponent)
        if (!exponent)
          expect(bytes(JSON.stringify(JSON.parse(text)))).toBeLessThanOrEqual(bytes(text))
      }),
      { numRuns: 3000 },
    )
    // What the bound must not miss: an exponent makes a number longer.
    expect(JSON.stringify(JSON.parse('[1e20]')).length).toBeGreaterThan('[1e20]'.length)
    expect(jsonShape('{"a":"1e20","b":true,"c":false}').exponent).toBe(false)
    expect(jsonShape('{"a":[1E+2]}').exponent).toBe(true)
  })
})
