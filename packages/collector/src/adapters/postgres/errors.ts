import { CollectorError, storeUnavailable } from '../../errors.js'

// postgres.js connection-level failures and PostgreSQL's "cannot serve now" SQLSTATE classes.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
])
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-4])/
// Class 22 (data exception): a value from the request that PostgreSQL cannot hold or compare,
// such as a NUL byte in an id. The client's input, so a 400, not a 500.
const DATA_EXCEPTION_SQLSTATE = /^22/

/** True for errors worth retrying the whole transaction: deadlock or serialisation failure. */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string })?.code
  return code === '40P01' || code === '40001'
}

/** Maps a database error to the collector's error type; unknown errors pass through. */
export function mapStoreError(err: unknown): unknown {
  if (err instanceof CollectorError) return err
  const code = (err as { code?: string })?.code ?? ''
  if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)) return storeUnavailable(err)
  if (DATA_EXCEPTION_SQLSTATE.test(code)) {
    return new CollectorError('bad_request', 'A value in the request cannot be stored', {
      cause: err,
    })
  }
  return err
}

/** Runs `fn`, retrying deadlocks and serialisation failures a few times with jitter. */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (err) {
      if (!isRetryable(err) || i >= attempts) throw mapStoreError(err)
      await new Promise((r) => setTimeout(r, Math.random() * 10 * i))
    }
  }
}
