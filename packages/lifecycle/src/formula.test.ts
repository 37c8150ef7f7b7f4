import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LifecycleError } from './errors.js'
import { compileFormula, evaluateFormula } from './formula.js'

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn()
  } catch (e) {
    if (e instanceof LifecycleError) return e.code
    throw e
  }
  return undefined
}
const errorOf = (fn: () => unknown): LifecycleError => {
  try {
    fn()
  } catch (e) {
    if (e instanceof LifecycleError) return e
    throw e
  }
  throw new Error('expected a LifecycleError')
}

describe('formula language: values', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['2 * 3 % 4', 2],
    ['8 / 2 / 2', 2],
    ['-2 * 3', -6],
    ['--2', 2],
    ['+5', 5],
    ['1.5e2 + .5', 150.5],
    ['3 × 4 ÷ 2 − 1', 5],
    ['1 < 2', 1],
    ['2 <= 1', 0],
    ['2 ≥ 2', 1],
    ['1 == 1 && 2 != 3', 1],
    ['0 || 0', 0],
    ['!0', 1],
    ['!5', 0],
    ['1 ? 2 : 3', 2],
    ['0 ? 2 : 0 ? 3 : 4', 4],
    ['1 + 1 > 1 ? 10 : 20', 10],
    ['min(3, 1, 2) + max(4, 9)', 10],
    ['clamp(150, 0, 100) + clamp(-5, 0, 100)', 100],
    ['abs(-3) + round(2.5) + round(1.2345, 2)', 7.23],
    ['floor(2.7) + ceil(2.1)', 5],
    ['round(log(exp(2)), 6)', 2],
    ['sqrt(16)', 4],
    ['if(1, 7, 8) + if(0, 7, 8)', 15],
    ['5 / 0', 0],
    ['5 % 0', 0],
    ['-0', 0],
  ])('%s = %d', (source, expected) => {
    expect(evaluateFormula(source, {})).toBe(expected)
  })

  it('reads flat and dotted variables, numbers and booleans', () => {
    const f = compileFormula('csat * 10 + tickets.open + flags.vip')
    expect(f.variables).toEqual(['csat', 'tickets.open', 'flags.vip'])
    expect(f.evaluate({ csat: 2, tickets: { open: 3 }, flags: { vip: true } })).toBe(24)
  })

  it('treats missing and non-numeric variables as 0, or as an error on request', () => {
    const f = compileFormula('a + b.c + d')
    expect(f.evaluate({ a: 1, b: 'x', d: '7' })).toBe(1)
    expect(f.evaluate({ a: 1, d: Number.NaN })).toBe(1)
    const e = errorOf(() => f.evaluate({ a: 1 }, { missing: 'error' }))
    expect(e.code).toBe('formula_missing_variable')
    expect(e.position).toBe(4)
    expect(e.details.variable).toBe('b.c')
  })

  it('evaluates `if`, `&&`, `||` and `?:` lazily', () => {
    const f = compileFormula('x > 0 ? 1 : missing', {})
    expect(f.evaluate({ x: 1 }, { missing: 'error' })).toBe(1)
    expect(evaluateFormula('if(1, 2, log(0))', {})).toBe(2)
    expect(evaluateFormula('0 && log(0)', {})).toBe(0)
    expect(evaluateFormula('1 || log(0)', {})).toBe(1)
  })

  it('reports non-finite results with their position', () => {
    const e = errorOf(() => evaluateFormula('1 + log(0)', {}))
    expect(e.code).toBe('formula_not_finite')
    expect(e.position).toBe(4)
    expect(codeOf(() => evaluateFormula('exp(1000)', {}))).toBe('formula_not_finite')
    expect(codeOf(() => evaluateFormula('sqrt(-1)', {}))).toBe('formula_not_finite')
    expect(codeOf(() => evaluateFormula('1e308 * 10', {}))).toBe('formula_not_finite')
  })

  it('rejects variables outside an allowed list at compile time', () => {
    const e = errorOf(() => compileFormula('csat + nsp', { knownVariables: ['csat', 'nps'] }))
    expect(e.code).toBe('formula_unknown_variable')
    expect(e.position).toBe(7)
    expect(e.details.allowed).toEqual(['csat', 'nps'])
  })
})

describe('formula language: errors', () => {
  it.each([
    ['', 'formula_syntax', 0],
    ['1 +', 'formula_syntax', 3],
    ['(1 + 2', 'formula_syntax', 6],
    ['1 2', 'formula_syntax', 2],
    ['a = 1', 'formula_syntax', 2],
    ['1 ? 2', 'formula_syntax', 5],
    ['max(1,)', 'formula_syntax', 6],
    ['a . b', 'formula_syntax', 2],
    ['1e999', 'formula_syntax', 0],
    ['"x"', 'formula_syntax', 0],
    ['foo(1)', 'formula_unknown_function', 0],
    ['clamp(1, 2)', 'formula_arity', 0],
    ['abs()', 'formula_arity', 0],
  ])('%j fails with %s at %d', (source, code, position) => {
    const e = errorOf(() => compileFormula(source))
    expect(e.code).toBe(code)
    expect(e.position).toBe(position)
  })

  it('rejects non-string sources', () => {
    expect(codeOf(() => compileFormula(42 as unknown as string))).toBe('formula_syntax')
  })
})

describe('formula language: hostile input', () => {
  it.each([
    'constructor',
    '__proto__',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'a.__proto__',
    'a.constructor',
    'a.constructor.prototype',
    '__proto__.polluted',
    'prototype',
  ])('%s never reaches a prototype', (source) => {
    expect(evaluateFormula(source, { a: {} })).toBe(0)
    expect(codeOf(() => evaluateFormula(source, { a: {} }, { missing: 'error' }))).toBe(
      'formula_missing_variable',
    )
  })

  it('reads an own property named __proto__ as plain data', () => {
    expect(evaluateFormula('__proto__', JSON.parse('{"__proto__": 5}'))).toBe(5)
  })

  it.each([
    'constructor(1)',
    '__proto__(1)',
    'toString()',
    'hasOwnProperty(1)',
    'eval(1)',
    'Function(1)',
  ])('%s is an unknown function', (source) => {
    expect(codeOf(() => compileFormula(source))).toBe('formula_unknown_function')
  })

  it.each([
    'process.exit(1)',
    'globalThis.x',
    'this',
    'a[0]',
    'a["constructor"]',
    '`${1}`',
    '1; 2',
    'x => x',
    'new Date()',
    'a = 1',
    'import("fs")',
  ])('%s is not valid syntax or reads nothing', (source) => {
    const result = (() => {
      try {
        return evaluateFormula(source, {})
      } catch (e) {
        if (e instanceof LifecycleError) return e.code
        throw e
      }
    })()
    expect([0, 'formula_syntax', 'formula_unknown_function']).toContain(result)
  })

  it('limits length, depth and node count', () => {
    expect(codeOf(() => compileFormula('1+'.repeat(2000) + '1'))).toBe('formula_too_long')
    expect(codeOf(() => compileFormula('('.repeat(100) + '1' + ')'.repeat(100)))).toBe(
      'formula_too_deep',
    )
    expect(codeOf(() => compileFormula('!'.repeat(100) + '1'))).toBe('formula_too_deep')
    expect(evaluateFormula('1+'.repeat(200) + '1', {})).toBe(201)
    expect(codeOf(() => compileFormula('-'.repeat(39) + '1'))).toBe(undefined)
    expect(codeOf(() => compileFormula('0?1:'.repeat(60) + '1'))).toBe('formula_too_deep')
    expect(
      codeOf(() => compileFormula(`max(${'1,'.repeat(49)}1) + max(${'1,'.repeat(49)}1)`)),
    ).toBe(undefined)
    const wide = Array.from({ length: 50 }, () => `max(${'1,'.repeat(9)}1)`).join('+')
    expect(codeOf(() => compileFormula(wide, { limits: { maxLength: 10_000 } }))).toBe(
      'formula_too_complex',
    )
    expect(codeOf(() => compileFormula('((1))', { limits: { maxDepth: 2 } }))).toBe(
      'formula_too_deep',
    )
  })

  it('survives a million-character input without work proportional to it', () => {
    const huge = '('.repeat(1_000_000)
    const e = errorOf(() => compileFormula(huge))
    expect(e.code).toBe('formula_too_long')
  })

  it('only ever throws LifecycleError, whatever the input', () => {
    const alphabet = fc.constantFrom(
      ...'0123456789.eE+-*/%<>=!&|?:(),abcxyz_ ×÷−≤≥≠'.split(''),
      'min(',
      'clamp(',
      'if(',
      'log(',
      'exp(',
      'constructor',
      '__proto__',
      'a.b',
    )
    const source = fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join(''))
    const vars = fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.double(), fc.boolean()))
    fc.assert(
      fc.property(fc.oneof(source, fc.string({ maxLength: 80 })), vars, (src, v) => {
        try {
          const result = compileFormula(src).evaluate({ a: 1, b: { c: 2 }, x: -3, ...v })
          expect(Number.isFinite(result)).toBe(true)
        } catch (e) {
          expect(e).toBeInstanceOf(LifecycleError)
        }
      }),
      { numRuns: 2000 },
    )
  })
})
