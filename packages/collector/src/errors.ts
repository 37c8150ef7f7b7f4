import type { RejectedEvent } from '@lodestone/protocol'

export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'invalid_events'
  | 'payload_too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'unsupported_media_type'
  | 'store_unavailable'
  | 'invalid_rules'
  | 'conflict'
  | 'internal'

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  invalid_events: 400,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  unsupported_media_type: 415,
  store_unavailable: 503,
  invalid_rules: 400,
  conflict: 409,
  internal: 500,
}

/** The collector's one error type: a stable `code` that `onError` maps to an HTTP status. */
export class CollectorError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly issues?: unknown[]
  readonly rejected?: RejectedEvent[]
  readonly retryAfterSeconds?: number

  constructor(
    code: ErrorCode,
    message: string,
    extra: {
      issues?: unknown[]
      rejected?: RejectedEvent[]
      retryAfterSeconds?: number
      cause?: unknown
    } = {},
  ) {
    super(message, { cause: extra.cause })
    this.name = 'CollectorError'
    this.code = code
    this.status = STATUS[code]
    this.issues = extra.issues
    this.rejected = extra.rejected
    this.retryAfterSeconds = extra.retryAfterSeconds
  }
}

/** Raised by store adapters when the database cannot be reached: answered with 503. */
export function storeUnavailable(cause: unknown): CollectorError {
  return new CollectorError('store_unavailable', 'The event store is unavailable; retry later', {
    retryAfterSeconds: 5,
    cause,
  })
}
