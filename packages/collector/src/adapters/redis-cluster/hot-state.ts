import { Cluster } from 'ioredis'
import type { FeedEntry, HotState } from '../../ports.js'
import { checkInteger, checkPositive, checkTtl, parseFeedId } from '../../hot-state/arguments.js'
import { hotStateCommandError, hotStateUnavailable } from '../../hot-state/errors.js'

export interface RedisClusterHotStateOptions {
  /** Seed nodes, `host:port` each; the client discovers the rest of the cluster. */
  nodes: string[]
  /** Per-command deadline; a slow Redis must not stall ingest (default 1,000 ms). */
  timeoutMs?: number
}

type RawFeed = [id: string, fields: string[]][]

/** A workspace id inside a key (`ws_` and 16 hex digits, keys.ts's shape). */
const WORKSPACE = /ws_[0-9a-f]{16}/

/**
 * The key as stored: a workspace id in it becomes the key's hash tag (`rl:ws:{ws_…}:…`,
 * `live:{ws_…}`), so every key of one workspace lives in one slot, on one shard. Keys without a
 * workspace (per-IP limits) are spread by the whole key.
 */
export function clusterKey(key: string): string {
  if (key.includes('{')) return key
  return key.replace(WORKSPACE, (ws) => `{${ws}}`)
}

/**
 * HotState on a Redis Cluster through ioredis's cluster client, beside the Upstash REST adapter
 * (for runtimes without TCP). Failures reject like that adapter's: `store_unavailable` for
 * outages and timeouts, `internal` for commands Redis refused.
 */
export function createRedisClusterHotState(options: RedisClusterHotStateOptions): HotState {
  const timeoutMs = checkPositive('timeoutMs', options.timeoutMs ?? 1_000)
  const cluster = new Cluster(
    options.nodes.map((n) => {
      const [host, port] = n.split(':')
      return { host: host!, port: Number(port) }
    }),
    {
      redisOptions: { commandTimeout: timeoutMs, maxRetriesPerRequest: 1 },
      clusterRetryStrategy: (times) => Math.min(1000, times * 100),
    },
  )
  cluster.on('error', () => {
    // Reported per command below; an unhandled 'error' event would crash the process.
  })

  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    // While the cluster is unreachable the client queues commands and keeps reconnecting: the
    // deadline covers that too.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis Cluster did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      )
    })
    try {
      return await Promise.race([run(), deadline])
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err)
      if (/^(ERR|WRONGTYPE|EXECABORT|NOSCRIPT)\b/.test(text))
        throw hotStateCommandError(`${what}: ${text.replace(/\s*command was:.*$/s, '')}`, err)
      throw hotStateUnavailable(`${what}: ${text}`, err)
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    get: (key) => call('get', () => cluster.get(clusterKey(key))),
    async incr(key, by = 1, ttlSeconds) {
      checkInteger('by', by)
      const k = clusterKey(key)
      if (ttlSeconds === undefined) return call('incr', () => cluster.incrby(k, by))
      const ttl = checkTtl(ttlSeconds)
      // One transaction on the key's shard, so a counter never lacks its TTL; NX keeps the first.
      const result = await call('incr', () =>
        cluster.multi().incrby(k, by).expire(k, ttl, 'NX').exec(),
      )
      const [err, value] = result?.[0] ?? [new Error('ERR empty transaction'), null]
      if (err) throw hotStateCommandError(`incr: ${err.message}`, err)
      return value as number
    },
    feedAppend(stream, entry, maxLen) {
      checkPositive('maxLen', maxLen)
      return call('feedAppend', async () =>
        String(await cluster.xadd(clusterKey(stream), 'MAXLEN', '~', maxLen, '*', 'e', entry)),
      )
    },
    async feedRead(stream, afterId, limit) {
      checkPositive('limit', limit)
      const k = clusterKey(stream)
      if (afterId === null) {
        const raw = await call('feedRead', () => cluster.xrevrange(k, '+', '-', 'COUNT', limit))
        return toEntries(raw as RawFeed).reverse()
      }
      const { ms, seq } = parseFeedId(afterId)
      const raw = await call('feedRead', () =>
        cluster.xrange(k, `(${ms}-${seq}`, '+', 'COUNT', limit),
      )
      return toEntries(raw as RawFeed)
    },
    async close() {
      await cluster.quit().catch(() => cluster.disconnect())
    },
  }
}

function toEntries(raw: RawFeed | null): FeedEntry[] {
  return (raw ?? []).map(([id, fields]) => ({ id, entry: fields[fields.indexOf('e') + 1] ?? '' }))
}
