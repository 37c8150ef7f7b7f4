import type { Clock, HotCounters } from '../ports.js'

export interface RateLimiterOptions {
  /** Cost allowed per window (default 600,000: 60,000 events/s over 10 s; README, LODESTONE_RATE_LIMIT). */
  limit?: number
  /** Window length in seconds (default 10). */
  windowSeconds?: number
  /** Prefix of the counters' keys (default `rl:`). */
  prefix?: string
  clock?: Clock
  /** Where a hot-state outage is reported, once per outage (default console.warn). */
  log?: (message: string) => void
}

export interface RateLimitResult {
  allowed: boolean
  /** Cost still available in the current window (0 when denied). */
  remaining: number
  /** When a denied caller may try again (0 when allowed): the Retry-After header. */
  retryAfterSeconds: number
}

export interface RateLimiter {
  /** Counts `cost` (e.g. the events in a batch) against `key` and says whether it fits. */
  check(key: string, cost?: number): Promise<RateLimitResult>
}

const SYSTEM_CLOCK: Clock = { now: () => new Date() }

/**
 * A sliding-window rate limiter on the hot-state port: two fixed-window counters, the previous
 * one weighted by how much of it still overlaps the sliding window (as Cloudflare and Upstash
 * do). A denied check does not count. Fails open when hot state is down: limits protect the
 * service, they are not data, and refusing all ingest during a Redis outage would lose events.
 *
 * @example
 * const limiter = createRateLimiter(hot, { limit: 600_000, windowSeconds: 10 })
 * const r = await limiter.check(workspaceId, batch.length) // never a key: counters are stored
 * if (!r.allowed) throw new CollectorError('rate_limited', 'Too many events', {
 *   retryAfterSeconds: r.retryAfterSeconds,
 * })
 */
export function createRateLimiter(hot: HotCounters, options: RateLimiterOptions = {}): RateLimiter {
  const limit = options.limit ?? 600_000
  const windowSeconds = options.windowSeconds ?? 10
  const prefix = options.prefix ?? 'rl:'
  const clock = options.clock ?? SYSTEM_CLOCK
  const log = options.log ?? ((m: string) => console.warn(m))
  if (!(limit > 0) || !Number.isSafeInteger(windowSeconds) || windowSeconds <= 0) {
    throw new RangeError('rate limit needs a positive limit and a whole number of seconds')
  }
  const windowMs = windowSeconds * 1000
  let failing = false

  return {
    async check(key, cost = 1) {
      if (!Number.isSafeInteger(cost) || cost < 0) {
        throw new RangeError(`rate limit cost must be a whole number >= 0, got ${cost}`)
      }
      const now = clock.now().getTime()
      const index = Math.floor(now / windowMs)
      const elapsed = (now % windowMs) / windowMs
      const current = `${prefix}${key}:${index}`
      try {
        const [count, previousRaw] = await Promise.all([
          hot.incr(current, cost, windowSeconds * 2),
          hot.get(`${prefix}${key}:${index - 1}`),
        ])
        failing = false
        const previous = Number(previousRaw ?? 0) || 0
        const used = previous * (1 - elapsed) + count
        if (used <= limit) {
          return { allowed: true, remaining: Math.floor(limit - used), retryAfterSeconds: 0 }
        }
        // Best effort: a rejected batch should not eat the quota its retry will need.
        await hot.incr(current, -cost).catch(() => {})
        const wait = secondsUntilFits(previous, count - cost, cost, limit, elapsed, windowSeconds)
        return { allowed: false, remaining: 0, retryAfterSeconds: wait }
      } catch (err) {
        if (!failing) {
          failing = true
          const why = err instanceof Error ? err.message : String(err)
          log(`[lodestone] rate limits not enforced while hot state is unavailable (${why})`)
        }
        return { allowed: true, remaining: limit, retryAfterSeconds: 0 }
      }
    },
  }
}

/** Seconds until `cost` more fits, assuming nothing else arrives meanwhile (at least 1). */
function secondsUntilFits(
  previous: number,
  current: number,
  cost: number,
  limit: number,
  elapsed: number,
  windowSeconds: number,
): number {
  if (cost > limit) return windowSeconds
  const room = limit - current - cost
  let wait: number
  if (room >= 0 && previous > 0 && 1 - room / previous < 1) {
    // Still this window: the previous window's weight shrinks until the cost fits.
    wait = (1 - room / previous - elapsed) * windowSeconds
  } else {
    // Next window: today's count becomes the shrinking "previous".
    const share = current > 0 ? Math.max(0, 1 - (limit - cost) / current) : 0
    wait = (1 - elapsed + share) * windowSeconds
  }
  return Math.max(1, Math.ceil(wait))
}
