import type { Clock, HotState } from '../ports.js'
import { isHotStateUnavailable } from './errors.js'

export interface ResilientHotStateOptions {
  clock?: Clock
  /** How long to stay on the fallback before probing the primary again (default 5,000 ms). */
  probeIntervalMs?: number
  /** Keys written on the fallback that are remembered for invalidation (default 10,000). */
  maxJournal?: number
  /** Where switches are reported, one line each (default console.warn). */
  log?: (message: string) => void
}

export interface ResilientHotState extends HotState {
  /** Which implementation answers calls right now. */
  readonly using: 'primary' | 'fallback'
}

const SYSTEM_CLOCK: Clock = { now: () => new Date() }
const PROBE_KEY = 'lodestone:probe'
const INVALIDATE_CONCURRENCY = 32

/**
 * Serves from `primary` (Redis) and, when it is unavailable, from `fallback` (in-process), as a
 * circuit breaker: one outage-type failure opens it, and every `probeIntervalMs` a single call
 * probes the primary, closing it again on success. Calls never fail because Redis is down.
 *
 * This is safe only because PostgreSQL is the source of truth: hot state holds caches, dedupe
 * hints, counters for protection and the live feed, and every user of it must give the same
 * result when it is empty. While on the fallback, counters restart, the live feed lives in this
 * process only, and other processes do not see our writes. Keys set or deleted on the fallback
 * are deleted from Redis before it is used again, so caches do not come back stale.
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
  const maxJournal = options.maxJournal ?? 10_000
  const log = options.log ?? ((m: string) => console.warn(m))
  let using: 'primary' | 'fallback' = 'primary'
  let retryAt = 0
  let probing = false
  const journal = new Set<string>()
  let journalOverflow = false

  function open(err: unknown) {
    retryAt = clock.now().getTime() + probeIntervalMs
    if (using === 'fallback') return
    using = 'fallback'
    const why = err instanceof Error ? err.message : String(err)
    log(`[lodestone] hot state: primary unavailable (${why}); using the in-process fallback`)
  }

  // Drops what changed during the outage from both sides: from the primary, whose copy is now
  // stale, and from the fallback, which would otherwise serve it again in the next outage.
  async function invalidate(keys: string[]) {
    for (let i = 0; i < keys.length; i += INVALIDATE_CONCURRENCY) {
      const chunk = keys.slice(i, i + INVALIDATE_CONCURRENCY)
      await Promise.all(chunk.map((key) => primary.del(key)))
      for (const key of chunk) journal.delete(key)
      await Promise.allSettled(chunk.map((key) => fallback.del(key)))
    }
  }

  // Throws if the primary is still down. Writes keep going to the fallback (and the journal)
  // while this runs, so it catches up a few rounds before switching, and once more after.
  async function probe() {
    if (journal.size === 0) await primary.get(PROBE_KEY)
    for (let round = 0; round < 3 && journal.size > 0; round++) await invalidate([...journal])
    using = 'primary'
    await invalidate([...journal])
    if (journalOverflow) {
      journalOverflow = false
      log(
        '[lodestone] hot state: too many keys changed during the outage; some may be stale until their TTL',
      )
    }
    log('[lodestone] hot state: primary is back')
  }

  function remember(key: string) {
    if (journal.size < maxJournal) journal.add(key)
    else journalOverflow = true
  }

  async function run<T>(op: (hot: HotState) => Promise<T>, writes?: string): Promise<T> {
    if (using === 'fallback') {
      const due = clock.now().getTime() >= retryAt
      if (!due || probing) return onFallback(op, writes)
      probing = true
      try {
        await probe()
      } catch (err) {
        if (!isHotStateUnavailable(err)) throw err
        open(err)
        return onFallback(op, writes)
      } finally {
        probing = false
      }
    }
    try {
      return await op(primary)
    } catch (err) {
      if (!isHotStateUnavailable(err)) throw err
      open(err)
      return onFallback(op, writes)
    }
  }

  function onFallback<T>(op: (hot: HotState) => Promise<T>, writes?: string): Promise<T> {
    if (writes !== undefined) remember(writes)
    return op(fallback)
  }

  return {
    get using() {
      return using
    },
    get: (key) => run((h) => h.get(key)),
    mget: (keys) => run((h) => h.mget(keys)),
    set: (key, value, ttl) => run((h) => h.set(key, value, ttl), key),
    del: (key) => run((h) => h.del(key), key),
    incr: (key, by, ttl) => run((h) => h.incr(key, by, ttl)),
    setIfAbsent: (key, value, ttl) => run((h) => h.setIfAbsent(key, value, ttl)),
    expire: (key, ttl) => run((h) => h.expire(key, ttl), key),
    feedAppend: (stream, entry, maxLen) => run((h) => h.feedAppend(stream, entry, maxLen)),
    feedRead: (stream, afterId, limit) => run((h) => h.feedRead(stream, afterId, limit)),
    async close() {
      await Promise.allSettled([primary.close?.(), fallback.close?.()])
    },
  }
}
