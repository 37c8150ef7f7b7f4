import { Redis } from '@upstash/redis'
import type { FeedEntry, HotState } from '../../ports.js'
import { checkInteger, checkPositive, checkTtl, parseFeedId } from '../../hot-state/arguments.js'
import { toHotStateError } from './errors.js'

export interface UpstashHotStateOptions {
  /** `UPSTASH_REDIS_REST_URL`. */
  url: string
  /** `UPSTASH_REDIS_REST_TOKEN`. */
  token: string
  /** Per-request deadline; a slow Redis must not stall ingest (default 1,000 ms). */
  timeoutMs?: number
}

type RawFeed = [id: string, fields: string[]][]

/**
 * HotState on Redis through the Upstash REST API (fetch only, so it runs on any runtime).
 * Every failure rejects with a CollectorError: `store_unavailable` for outages and timeouts,
 * `internal` for commands Redis refused.
 *
 * @example
 * const hot = createUpstashHotState({
 *   url: env.UPSTASH_REDIS_REST_URL,
 *   token: env.UPSTASH_REDIS_REST_TOKEN,
 * })
 * await hot.incr(`rl:${workspaceId}:${window}`, events, 20)
 */
export function createUpstashHotState(options: UpstashHotStateOptions): HotState {
  const timeoutMs = checkPositive('timeoutMs', options.timeoutMs ?? 1_000)
  const redis = new Redis({
    url: options.url,
    token: options.token,
    // Values are opaque strings to us; the default JSON round-trip would turn '123' into 123.
    automaticDeserialization: false,
    enableTelemetry: false,
    // One quick retry covers a stale keep-alive socket; outages are handled a layer up.
    retry: { retries: 1, backoff: () => 20 },
    signal: () => AbortSignal.timeout(timeoutMs),
  })

  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (err) {
      throw toHotStateError(err, what, timeoutMs)
    }
  }

  return {
    get: (key) => call('get', () => redis.get<string>(key)),
    async incr(key, by = 1, ttlSeconds) {
      checkInteger('by', by)
      if (ttlSeconds === undefined) return call('incr', () => redis.incrby(key, by))
      const ttl = checkTtl(ttlSeconds)
      // One transaction, so a counter can never be left without its TTL; NX keeps the first one.
      const [value] = await call('incr', () =>
        redis.multi().incrby(key, by).expire(key, ttl, 'NX').exec<[number, 0 | 1]>(),
      )
      return value
    },
    feedAppend(stream, entry, maxLen) {
      checkPositive('maxLen', maxLen)
      return call('feedAppend', () =>
        redis.exec<string>(['XADD', stream, 'MAXLEN', '~', maxLen, '*', 'e', entry]),
      )
    },
    async feedRead(stream, afterId, limit) {
      checkPositive('limit', limit)
      if (afterId === null) {
        const raw = await call('feedRead', () =>
          redis.exec<RawFeed>(['XREVRANGE', stream, '+', '-', 'COUNT', limit]),
        )
        return toEntries(raw).reverse()
      }
      const { ms, seq } = parseFeedId(afterId)
      const raw = await call('feedRead', () =>
        redis.exec<RawFeed>(['XRANGE', stream, `(${ms}-${seq}`, '+', 'COUNT', limit]),
      )
      return toEntries(raw)
    },
    async close() {},
  }
}

function toEntries(raw: RawFeed | null): FeedEntry[] {
  return (raw ?? []).map(([id, fields]) => ({ id, entry: fields[fields.indexOf('e') + 1] ?? '' }))
}
