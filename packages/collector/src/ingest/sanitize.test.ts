import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { jsonDepth } from './sanitize.js'

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
