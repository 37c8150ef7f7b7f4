import { hotStateCommandError, hotStateUnavailable } from '../../hot-state/errors.js'

// Upstash answers both a refused command (400) and an outage (5xx, 401, quota) with an error
// body, and @upstash/redis turns both into UpstashError, so the Redis error prefix decides.
// Anything unrecognised counts as an outage: that only sends callers to their fallback.
const COMMAND_ERROR = /\b(ERR|WRONGTYPE|EXECABORT|NOSCRIPT)\b/
const QUOTA = /limit exceeded|max (daily )?requests?/i

/** Maps whatever @upstash/redis or fetch threw to a CollectorError with a clear message. */
export function toHotStateError(err: unknown, what: string, timeoutMs: number): Error {
  const text = err instanceof Error ? err.message : String(err)
  const name = err instanceof Error ? err.name : ''
  if (name === 'TimeoutError' || name === 'AbortError') {
    return hotStateUnavailable(`${what}: Upstash did not answer within ${timeoutMs} ms`, err)
  }
  if (COMMAND_ERROR.test(text) && !QUOTA.test(text)) {
    return hotStateCommandError(`${what}: ${stripCommand(text)}`, err)
  }
  return hotStateUnavailable(
    `${what}: ${stripCommand(text) || name || 'request failed'}${detail(err)}`,
    err,
  )
}

// fetch reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND) in its cause.
function detail(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown }) : null
  const what = cause?.code ?? cause?.message
  return typeof what === 'string' ? ` (${what})` : ''
}

// The client appends the whole command (keys and values) to its messages; keep those out of
// errors and logs, since values can be personal data.
const stripCommand = (text: string) => text.replace(/, command was: .*$/s, '')
