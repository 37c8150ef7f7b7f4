export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  baseMs: number
  /** Upper bound of any retry delay, in ms. */
  maxMs: number
}

/**
 * Exponential backoff with "equal jitter": half the capped delay is fixed, half random, so
 * retries never collapse to zero (hammering a sick collector) and tabs never retry in step.
 *
 * @example
 * backoffDelay(3, { baseMs: 1000, maxMs: 60_000 }) // between 4000 and 8000
 */
export const backoffDelay = (attempt: number, o: BackoffOptions, random = Math.random): number => {
  const cap = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(cap / 2 + (random() * cap) / 2)
}

/**
 * Reads a Retry-After header (delta seconds or an HTTP date) as a delay in ms.
 *
 * @example
 * parseRetryAfter('2', Date.now()) // 2000
 */
export const parseRetryAfter = (
  value: string | null | undefined,
  now: number,
): number | undefined => {
  if (!value) return undefined
  const at = /^\s*[\d.]+\s*$/.test(value) ? now + +value * 1000 : Date.parse(value)
  return at >= 0 || at < 0 ? Math.max(0, at - now) : undefined
}
