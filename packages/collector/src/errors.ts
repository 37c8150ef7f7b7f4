import type { Context } from 'hono'
import type { RejectedEvent } from '@lodestone/protocol'
import { LifecycleError } from '@lodestone/lifecycle'

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
  | 'invalid_segment'
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
  invalid_segment: 400,
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

/**
 * The one mapping of a thrown error to the answer's status and body, for the API (JSON, in
 * app.ts) and the dashboard (HTML, in dashboard/routes.tsx) alike. A CollectorError keeps its
 * code; a LifecycleError (bad settings or formula) is a 400 whose issue carries the stable code
 * and details; anything else is a bug: a 500 that says nothing about the request. Store adapters
 * turn their own failures into CollectorError at their boundary (adapters/postgres/errors.ts),
 * so nothing here knows a database.
 */
export function answerError(
  c: Context,
  err: unknown,
  render: (error: CollectorError) => Response | Promise<Response>,
  log?: (message: string, detail?: Record<string, unknown>) => void,
): Response | Promise<Response> {
  const known = toCollectorError(err)
  // Log the type and the place, never the request's data: the route pattern, not the path
  // (`/v1/contacts/email:…`), and the error's code, not its message (PostgreSQL quotes values).
  if (!known) {
    log?.('unhandled error', {
      name: (err as Error)?.name,
      code: (err as { code?: unknown })?.code,
      route: c.req.routePath,
    })
  } else if (known.status >= 500) {
    log?.('request failed', { code: known.code, route: c.req.routePath })
  }
  const error = known ?? new CollectorError('internal', 'Internal error', { cause: err })
  if (error.retryAfterSeconds) c.header('Retry-After', String(error.retryAfterSeconds))
  return render(error)
}

/** The API's error body (`{ success: false, error: { code, message, issues? }, rejected? }`). */
export function errorJson(c: Context, error: CollectorError): Response {
  const body: Record<string, unknown> = {
    success: false,
    error: {
      code: error.code,
      message: error.message,
      ...(error.issues ? { issues: error.issues } : {}),
    },
  }
  if (error.rejected) body.rejected = error.rejected
  return c.json(body, error.status as 400)
}

function toCollectorError(err: unknown): CollectorError | null {
  if (err instanceof CollectorError) return err
  if (err instanceof LifecycleError) {
    return new CollectorError('bad_request', err.message, {
      issues: [{ code: err.code, message: err.message, ...err.details }],
      cause: err,
    })
  }
  return null
}
