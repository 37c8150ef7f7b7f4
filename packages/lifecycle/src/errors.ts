/** Stable codes of {@link LifecycleError}; clients and the collector's `onError` switch on them. */
export type LifecycleErrorCode =
  | 'formula_too_long'
  | 'formula_too_deep'
  | 'formula_too_complex'
  | 'formula_syntax'
  | 'formula_unknown_function'
  | 'formula_arity'
  | 'formula_unknown_variable'
  | 'formula_missing_variable'
  | 'formula_not_finite'
  | 'unknown_reason'
  | 'invalid_reason_list'
  | 'invalid_alert_rule'
  | 'invalid_config'

export interface LifecycleErrorDetails {
  /** Offset in the formula source (0-based) where the problem starts. */
  position?: number
  /** The accepted values, for errors about a value outside a list. */
  allowed?: readonly string[]
  /** Anything else that helps the caller fix the input. */
  [key: string]: unknown
}

/**
 * The one error type of the lifecycle modules. `code` is stable; `message` is for humans.
 * The collector maps every code to a 400 with `{ code, message, ...details }`.
 * @example
 * try { compileFormula('1 +') } catch (e) {
 *   if (e instanceof LifecycleError) console.log(e.code, e.details.position) // formula_syntax 3
 * }
 */
export class LifecycleError extends Error {
  override readonly name = 'LifecycleError'
  readonly code: LifecycleErrorCode
  readonly details: LifecycleErrorDetails

  constructor(code: LifecycleErrorCode, message: string, details: LifecycleErrorDetails = {}) {
    super(message)
    this.code = code
    this.details = details
  }

  /** Position in a formula, when the error is about one. */
  get position(): number | undefined {
    return this.details.position
  }
}
