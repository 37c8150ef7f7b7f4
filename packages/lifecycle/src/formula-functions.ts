/** Arity and implementation of the formula language's functions (`if` is lazy, see compile). */
export interface FormulaFunction {
  minArgs: number
  maxArgs: number
  apply?: (args: number[]) => number
}

const roundTo = (x: number, digits = 0): number => {
  const d = Math.min(10, Math.max(0, Math.trunc(digits)))
  const f = 10 ** d
  return Math.round(x * f) / f
}

// A Map, not an object literal, so `constructor(1)` or `__proto__(1)` find nothing.
export const FORMULA_FUNCTIONS: ReadonlyMap<string, FormulaFunction> = new Map([
  ['min', { minArgs: 1, maxArgs: 50, apply: (a: number[]) => Math.min(...a) }],
  ['max', { minArgs: 1, maxArgs: 50, apply: (a: number[]) => Math.max(...a) }],
  [
    'clamp',
    {
      minArgs: 3,
      maxArgs: 3,
      apply: ([x, lo, hi]: number[]) => Math.min(Math.max(x!, lo!), hi!),
    },
  ],
  ['abs', { minArgs: 1, maxArgs: 1, apply: ([x]: number[]) => Math.abs(x!) }],
  ['round', { minArgs: 1, maxArgs: 2, apply: ([x, d]: number[]) => roundTo(x!, d) }],
  ['floor', { minArgs: 1, maxArgs: 1, apply: ([x]: number[]) => Math.floor(x!) }],
  ['ceil', { minArgs: 1, maxArgs: 1, apply: ([x]: number[]) => Math.ceil(x!) }],
  ['log', { minArgs: 1, maxArgs: 1, apply: ([x]: number[]) => Math.log(x!) }],
  ['exp', { minArgs: 1, maxArgs: 1, apply: ([x]: number[]) => Math.exp(x!) }],
  ['sqrt', { minArgs: 1, maxArgs: 1, apply: ([x]: number[]) => Math.sqrt(x!) }],
  ['if', { minArgs: 3, maxArgs: 3 }],
])
