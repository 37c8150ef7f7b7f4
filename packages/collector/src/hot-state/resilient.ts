import type { Clock, HotState } from '../ports.js'
import { isHotStateUnavailable } from './errors.js'

export interface ResilientHotStateOptions {
  clock?: Clock
  /** How long to stay on the fallback before probing the primary again (default 5,000 ms). */
  probeIntervalMs?: number
  /** Where switches are reported, one line each (default console.warn). */
  log?: (message: string) => void
}

export interface ResilientHotState extends HotState {
  /** Which implementation answers calls right now. */
  readonly using: 'primary' | 'fallback'
}

const SYSTEM_CLOCK: Clock = { now: () => new Date() }
const PROBE_KEY = 'lodestone:probe'

/**
 * Serves from `primary` (Redis) and, when it is unavailable, from `fallback` (in-process), as a
 * circuit breaker: one outage-type failure opens it, and every `probeIntervalMs` a single call
 * probes the primary, closing it again on success. Calls never fail because Redis is down.
 *
 * This is safe only because PostgreSQL is the source of truth: hot state holds counters for
 * protection and the live feed, and every user of it must give the same result when it is
 * empty. While on the fallback, counters restart, the live feed lives in this process only, and
 * other processes do not see our writes. Nothing written during the outage needs undoing in
 * Redis afterwards: counters expire with their window and feed readers resume by id.
 *
 * @example
 * const hot = createResilientHotState(
 *   createUpstashHotState({ url, token }),
 *   createMemoryHotState(),
 * )
 * await hot.incr('rl:wk_1:1700000000', 20, 2) // Redis, or memory while Redis is down
 */
export function createResilientHotState(
  primary: HotState,
  fallback: HotState,
  options: ResilientHotStateOptions = {},
): ResilientHotState {
  const clock = options.clock ?? SYSTEM_CLOCK
  const probeIntervalMs = options.probeIntervalMs ?? 5_000
  const log = options.log ?? ((m: string) => console.warn(m))
  let using: 'primary' | 'fallback' = 'primary'
  let retryAt = 0
  let probing = false

  function open(err: unknown) {
    retryAt = clock.now().getTime() + probeIntervalMs
    if (using === 'fallback') return
    using = 'fallback'
    const why = err instanceof Error ? err.message : String(err)
    log(`[lodestone] hot state: primary unavailable (${why}); using the in-process fallback`)
  }

  // Throws if the primary is still down.
  async function probe() {
    await primary.get(PROBE_KEY)
    using = 'primary'
    log('[lodestone] hot state: primary is back')
  }

  async function run<T>(op: (hot: HotState) => Promise<T>): Promise<T> {
    if (using === 'fallback') {
      const due = clock.now().getTime() >= retryAt
      if (!due || probing) return op(fallback)
      probing = true
      try {
        await probe()
      } catch (err) {
        if (!isHotStateUnavailable(err)) throw err
        open(err)
        return op(fallback)
      } finally {
        probing = false
      }
    }
    try {
      return await op(primary)
    } catch (err) {
      if (!isHotStateUnavailable(err)) throw err
      open(err)
      return op(fallback)
    }
  }

  return {
    get using() {
      return using
    },
    get: (key) => run((h) => h.get(key)),
    incr: (key, by, ttl) => run((h) => h.incr(key, by, ttl)),
    feedAppend: (stream, entry, maxLen) => run((h) => h.feedAppend(stream, entry, maxLen)),
    feedRead: (stream, afterId, limit) => run((h) => h.feedRead(stream, afterId, limit)),
    async close() {
      await Promise.allSettled([primary.close?.(), fallback.close?.()])
    },
  }
}
