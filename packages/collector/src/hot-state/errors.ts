import { CollectorError } from '../errors.js'

/**
 * Hot state could not be reached (outage, timeout, refused credentials). Callers that can live
 * without hot state (the resilient wrapper, the rate limiter) key off this; anything else is a bug.
 * It maps to 503 like a store outage, because that is the right answer if it ever reaches a client.
 */
export function hotStateUnavailable(message: string, cause?: unknown): CollectorError {
  return new CollectorError('store_unavailable', `Hot state unavailable: ${message}`, {
    retryAfterSeconds: 5,
    cause,
  })
}

/** A command hot state refused (wrong type, bad argument): a programming error, not an outage. */
export function hotStateCommandError(message: string, cause?: unknown): CollectorError {
  return new CollectorError('internal', `Hot state command failed: ${message}`, { cause })
}

/** True for errors that mean "hot state is down", as opposed to a bad command. */
export function isHotStateUnavailable(err: unknown): boolean {
  return err instanceof CollectorError && err.code === 'store_unavailable'
}
