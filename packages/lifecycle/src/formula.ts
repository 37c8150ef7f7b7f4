import { LifecycleError } from './errors.js'
import { DEFAULT_FORMULA_LIMITS, type FormulaLimits, type FormulaNode } from './formula-ast.js'
import { FORMULA_FUNCTIONS } from './formula-functions.js'
import { parseFormula } from './formula-parser.js'

export { DEFAULT_FORMULA_LIMITS, type FormulaLimits, type FormulaNode } from './formula-ast.js'

/** Values a formula reads: numbers and booleans, possibly nested (`contact.tickets.open`). */
export type FormulaVariables = { readonly [name: string]: unknown }

export interface CompileOptions {
  limits?: Partial<FormulaLimits>
  /** When given, any other variable name is a compile error (`formula_unknown_variable`). */
  knownVariables?: readonly string[]
}

export interface EvaluateOptions {
  /** What a missing or non-numeric variable means: `zero` (default) or an `error`. */
  missing?: 'zero' | 'error'
}

/** A compiled formula: parse once, evaluate many times. */
export interface Formula {
  readonly source: string
  readonly ast: FormulaNode
  /** Variable names the formula reads, in order of first use. */
  readonly variables: readonly string[]
  /** Evaluates to a finite number; comparisons and logic give 1 or 0. */
  evaluate(variables: FormulaVariables, options?: EvaluateOptions): number
}

type Scope = { vars: FormulaVariables; strict: boolean }
type Run = (scope: Scope) => number

/**
 * Compiles a formula of the safe expression language (numbers, dotted variable names,
 * `+ - * / %`, comparisons, `&& || !`, `a ? b : c`, and min, max, clamp, abs, round, floor,
 * ceil, log, exp, sqrt, if). Never uses `eval` or `Function`; cost is bounded by `limits`.
 * Division or remainder by zero gives 0, so ratios over empty counts stay usable; any other
 * non-finite result (`log(0)`, `exp(1000)`) is a `formula_not_finite` error.
 * @example
 * const f = compileFormula('clamp(20 + tickets.open * 10, 0, 100)')
 * f.evaluate({ tickets: { open: 3 } }) // 50
 */
export function compileFormula(source: string, options: CompileOptions = {}): Formula {
  if (typeof source !== 'string') {
    throw new LifecycleError('formula_syntax', 'A formula must be a string', { position: 0 })
  }
  const limits = { ...DEFAULT_FORMULA_LIMITS, ...options.limits }
  const ast = parseFormula(source, limits)
  const variables: string[] = []
  const known = options.knownVariables ? new Set(options.knownVariables) : null
  const run = build(ast, (node) => {
    if (known && !known.has(node.name)) {
      throw new LifecycleError('formula_unknown_variable', `Unknown variable "${node.name}"`, {
        position: node.pos,
        allowed: [...known],
      })
    }
    if (!variables.includes(node.name)) variables.push(node.name)
  })
  return {
    source,
    ast,
    variables,
    evaluate: (vars, opts = {}) => {
      const v = run({ vars: vars ?? {}, strict: opts.missing === 'error' })
      return v === 0 ? 0 : v // no -0 in results
    },
  }
}

/**
 * Reads a dotted path through own properties only, so `__proto__`, `constructor` or
 * `toString` never reach a prototype: they are simply missing.
 */
function lookup(vars: FormulaVariables, path: readonly string[]): number | undefined {
  let current: unknown = vars
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) {
      return undefined
    }
    current = (current as Record<string, unknown>)[key]
  }
  if (typeof current === 'number') return Number.isFinite(current) ? current : undefined
  if (typeof current === 'boolean') return current ? 1 : 0
  return undefined
}

const finite = (value: number, pos: number): number => {
  if (Number.isFinite(value)) return value
  throw new LifecycleError('formula_not_finite', `The result at ${pos} is not a finite number`, {
    position: pos,
  })
}

type VariableNode = Extract<FormulaNode, { type: 'variable' }>

function build(node: FormulaNode, onVariable: (n: VariableNode) => void): Run {
  const sub = (n: FormulaNode) => build(n, onVariable)
  const { pos } = node
  switch (node.type) {
    case 'number': {
      const v = node.value
      return () => v
    }
    case 'variable': {
      onVariable(node)
      const { path, name } = node
      return (s) => {
        const v = lookup(s.vars, path)
        if (v !== undefined) return v
        if (!s.strict) return 0
        throw new LifecycleError('formula_missing_variable', `No numeric value for "${name}"`, {
          position: pos,
          variable: name,
        })
      }
    }
    case 'unary': {
      const arg = sub(node.arg)
      if (node.op === '!') return (s) => (arg(s) === 0 ? 1 : 0)
      if (node.op === '-') return (s) => 0 - arg(s)
      return arg
    }
    case 'conditional': {
      const [test, then, otherwise] = [sub(node.test), sub(node.then), sub(node.else)]
      return (s) => (test(s) !== 0 ? then(s) : otherwise(s))
    }
    case 'call': {
      const args = node.args.map(sub)
      if (node.name === 'if') {
        const [test, then, otherwise] = args as [Run, Run, Run]
        return (s) => (test(s) !== 0 ? then(s) : otherwise(s))
      }
      const apply = FORMULA_FUNCTIONS.get(node.name)?.apply as (a: number[]) => number
      return (s) => finite(apply(args.map((a) => a(s))), pos)
    }
    case 'binary':
      return binary(node.op, sub(node.left), sub(node.right), pos)
  }
}

function binary(op: string, l: Run, r: Run, pos: number): Run {
  switch (op) {
    case '&&':
      return (s) => (l(s) !== 0 && r(s) !== 0 ? 1 : 0)
    case '||':
      return (s) => (l(s) !== 0 || r(s) !== 0 ? 1 : 0)
    case '+':
      return (s) => finite(l(s) + r(s), pos)
    case '-':
      return (s) => finite(l(s) - r(s), pos)
    case '*':
      return (s) => finite(l(s) * r(s), pos)
    case '/':
      return (s) => divide(l(s), r(s), pos, (a, b) => a / b)
    case '%':
      return (s) => divide(l(s), r(s), pos, (a, b) => a % b)
    case '<':
      return (s) => (l(s) < r(s) ? 1 : 0)
    case '<=':
      return (s) => (l(s) <= r(s) ? 1 : 0)
    case '>':
      return (s) => (l(s) > r(s) ? 1 : 0)
    case '>=':
      return (s) => (l(s) >= r(s) ? 1 : 0)
    case '==':
      return (s) => (l(s) === r(s) ? 1 : 0)
    default:
      return (s) => (l(s) !== r(s) ? 1 : 0)
  }
}

function divide(a: number, b: number, pos: number, f: (a: number, b: number) => number): number {
  return b === 0 ? 0 : finite(f(a, b), pos)
}

/**
 * Compiles and evaluates in one step; for a formula used more than once, keep the compiled one.
 * @example evaluateFormula('max(a, b) * 2', { a: 1, b: 4 }) // 8
 */
export function evaluateFormula(
  source: string,
  variables: FormulaVariables,
  options: CompileOptions & EvaluateOptions = {},
): number {
  return compileFormula(source, options).evaluate(variables, options)
}
