/** Stable error codes: callers branch on these, never on messages. */
export type ScoringErrorCode = 'invalid_rules' | 'invalid_event' | 'invalid_state'

/** One problem found in the input, with a readable path such as `rules[2].conditions.url`. */
export interface ScoringIssue {
  path: string
  message: string
}

/**
 * The only error the scoring engine throws. `code` is stable; `issues` lists every problem
 * found, each with a path into the input, so an API can return them as-is.
 *
 * @example
 * try {
 *   createScorer(body)
 * } catch (err) {
 *   if (err instanceof ScoringError && err.code === 'invalid_rules') return c.json(err, 400)
 *   throw err
 * }
 */
export class ScoringError extends Error {
  override readonly name = 'ScoringError'
  readonly code: ScoringErrorCode
  readonly issues: ScoringIssue[]

  constructor(code: ScoringErrorCode, message: string, issues: ScoringIssue[] = []) {
    super(issues.length ? `${message}: ${issues.map(formatIssue).join('; ')}` : message)
    this.code = code
    this.issues = issues
  }

  toJSON(): { code: ScoringErrorCode; message: string; issues: ScoringIssue[] } {
    return { code: this.code, message: this.message, issues: this.issues }
  }
}

function formatIssue(issue: ScoringIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message
}

/** Turns a zod-style path (`['rules', 2, 'id']`) into `rules[2].id`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out
}
