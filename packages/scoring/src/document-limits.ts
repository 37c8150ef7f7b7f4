import type { ScoringIssue } from './errors.js'
import { formatPath } from './errors.js'

/**
 * Deepest nesting of objects and arrays in a rule-set document. The default rules need 9; each
 * level of `anyOf` inside `anyOf` takes 2, so this leaves room for about 6 of them in a rule.
 */
export const MAX_RULES_DEPTH = 20
/** Values (objects, arrays, strings, numbers…) in one document: 500 rigged-out rules fit. */
export const MAX_RULES_VALUES = 100_000

/**
 * Checks a parsed document's size and nesting before anything walks it recursively (the schema
 * validator and the compiler both recurse, and ~600 nested `anyOf` overflow the stack). The walk
 * is iterative, so the check itself cannot overflow. Returns the problem, or null.
 *
 * @example
 * documentProblem(JSON.parse(body)) // { path: 'rules[0].conditions.anyOf[0]…', message: … }
 */
export function documentProblem(input: unknown): ScoringIssue | null {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: input, path: [] }]
  let values = 0
  while (stack.length > 0) {
    const { value, path } = stack.pop()!
    if (++values > MAX_RULES_VALUES) {
      return { path: '', message: `A rule set holds at most ${MAX_RULES_VALUES} values` }
    }
    if (value === null || typeof value !== 'object') continue
    if (path.length >= MAX_RULES_DEPTH) {
      return {
        path: formatPath(path),
        message:
          `Nested too deeply: a rule set nests objects and lists at most ${MAX_RULES_DEPTH} ` +
          'levels (about 6 levels of anyOf inside anyOf)',
      }
    }
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }))
    else {
      for (const [k, v] of Object.entries(value)) {
        // The schema would drop it silently (assigning it would replace a prototype), which
        // would quietly change what a rule means.
        if (k === '__proto__') {
          return { path: formatPath([...path, k]), message: '"__proto__" cannot be used as a key' }
        }
        stack.push({ value: v, path: [...path, k] })
      }
    }
  }
  return null
}
