import type { z } from 'zod'
import { ScoringError, formatPath, type ScoringIssue } from './errors.js'
import { documentProblem } from './document-limits.js'
import { ruleSetSchema, type RuleSet } from './rule-schema.js'

/**
 * Validates a rule-set document (parsed JSON) and returns it typed.
 * Throws a `ScoringError` with code `invalid_rules` listing every problem with its path.
 *
 * @example
 * const rules = validateRules(await c.req.json())
 * // → ScoringError: Invalid scoring rules: rules[2].points: Points must not be 0
 */
export function validateRules(input: unknown): RuleSet {
  const problem = documentProblem(input)
  if (problem) throw new ScoringError('invalid_rules', 'Invalid scoring rules', [problem])
  const result = ruleSetSchema.safeParse(input)
  if (result.success) return result.data
  throw new ScoringError('invalid_rules', 'Invalid scoring rules', toIssues(result.error.issues))
}

function toIssues(issues: readonly z.core.$ZodIssue[]): ScoringIssue[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }))
}
