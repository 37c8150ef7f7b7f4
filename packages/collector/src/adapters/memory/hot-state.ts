import type { Clock, HotState } from '../../ports.js'
import { checkInteger, checkPositive, checkTtl, parseFeedId } from '../../hot-state/arguments.js'
import { hotStateCommandError } from '../../hot-state/errors.js'
import { createMemoryFeed, type MemoryFeed } from './feed.js'

export interface MemoryHotStateOptions {
  /** Source of time for TTLs and feed ids (default: the system clock). */
  clock?: Clock
  /** Keys kept at most; beyond it the least recently used go first (default 100,000). */
  maxKeys?: number
  /** Feeds kept at most, least recently used evicted (default 1,000). */
  maxFeeds?: number
  /** Entries per feed at most, whatever `maxLen` callers pass (default 10,000). */
  maxFeedLength?: number
}

interface Value {
  value: string
  expiresAt: number // ms; Infinity when the key has no TTL
}

const SYSTEM_CLOCK: Clock = { now: () => new Date() }

/**
 * In-process HotState: for a single collector process, for tests, and as the fallback while
 * Redis is down. Bounded: keys and feeds live in LRU maps, so memory stays flat under any load.
 *
 * @example
 * const hot = createMemoryHotState({ maxKeys: 10_000 })
 * await hot.incr('rl:wk_1:1700000000', 25, 2) // → 25
 */
export function createMemoryHotState(options: MemoryHotStateOptions = {}): HotState {
  const clock = options.clock ?? SYSTEM_CLOCK
  const maxKeys = checkPositive('maxKeys', options.maxKeys ?? 100_000)
  const maxFeeds = checkPositive('maxFeeds', options.maxFeeds ?? 1_000)
  const maxFeedLength = checkPositive('maxFeedLength', options.maxFeedLength ?? 10_000)
  const keys = new Map<string, Value>()
  const feeds = new Map<string, MemoryFeed>()
  const now = () => clock.now().getTime()

  // Map iteration order is insertion order: re-inserting on use makes the first key the LRU one.
  function touch<V>(map: Map<string, V>, key: string, value: V, max: number) {
    map.delete(key)
    map.set(key, value)
    while (map.size > max) map.delete(map.keys().next().value as string)
  }

  function live(key: string): Value | undefined {
    const v = keys.get(key)
    if (v === undefined) return undefined
    if (v.expiresAt <= now()) {
      keys.delete(key)
      return undefined
    }
    touch(keys, key, v, maxKeys)
    return v
  }

  const expiry = (ttlSeconds?: number) =>
    ttlSeconds === undefined ? Infinity : now() + checkTtl(ttlSeconds) * 1000

  return {
    async get(key) {
      return live(key)?.value ?? null
    },
    async incr(key, by = 1, ttlSeconds) {
      checkInteger('by', by)
      const current = live(key)
      const base = current === undefined ? 0 : Number(current.value)
      const next = base + by
      if (!Number.isSafeInteger(next)) throw hotStateCommandError(`increment of ${key} overflows`)
      // Like INCRBY + EXPIRE NX: a TTL is set only when the key has none, so it is never extended.
      const expiresAt =
        current && current.expiresAt !== Infinity ? current.expiresAt : expiry(ttlSeconds)
      touch(keys, key, { value: String(next), expiresAt }, maxKeys)
      return next
    },
    async feedAppend(stream, entry, maxLen) {
      const cap = Math.min(checkPositive('maxLen', maxLen), maxFeedLength)
      const feed = feeds.get(stream) ?? createMemoryFeed()
      touch(feeds, stream, feed, maxFeeds)
      return feed.append(entry, cap, now())
    },
    async feedRead(stream, afterId, limit) {
      checkPositive('limit', limit)
      if (afterId !== null) parseFeedId(afterId)
      return feeds.get(stream)?.read(afterId, limit) ?? []
    },
    async close() {
      keys.clear()
      feeds.clear()
    },
  }
}
