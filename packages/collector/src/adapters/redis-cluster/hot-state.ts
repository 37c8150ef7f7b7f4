import { Cluster } from 'ioredis'
import type { FeedEntry, HotState } from '../../ports.js'
import { checkInteger, checkPositive, checkTtl, parseFeedId } from '../../hot-state/arguments.js'
import { hotStateUnavailable, isHotStateUnavailable } from '../../hot-state/errors.js'
import { CollectorError } from '../../errors.js'
import { firstLine, toHotStateError } from './errors.js'
import { clusterKey } from './keys.js'
import { parseNode } from './nodes.js'

export interface RedisClusterHotStateOptions {
  /** Seed nodes, `host:port` each (`REDIS_CLUSTER_NODES`); the client learns the rest. */
  nodes: readonly string[]
  /** Per-call deadline; a slow or failing-over cluster must not stall ingest (default 1,000 ms). */
  timeoutMs?: number
  /** Where connection trouble is reported, once until the next success (default console.warn). */
  log?: (message: string) => void
}

type RawFeed = [id: string, fields: string[]][]

const SLOTS_REFRESH_EVERY_MS = 1_000
const SLOTS_REFRESH_WINDOW_MS = 30_000

/**
 * HotState on a Redis Cluster through ioredis's cluster client. Every key is hash-tagged by
 * workspace (`keys.ts`), so one workspace's counters and feed live in one slot and the
 * workspaces spread over the masters. Same commands and answers as the Upstash adapter
 * (adapters/upstash/hot-state.ts); every failure rejects with a CollectorError:
 * `store_unavailable` for outages, failovers and timeouts, `internal` for commands Redis refused.
 * Node-only (TCP): the Workers entry keeps to Upstash.
 *
 * @example
 * const hot = createRedisClusterHotState({ nodes: ['127.0.0.1:7000', '127.0.0.1:7001'] })
 * await hot.incr(`rl:ws:${workspaceId}:${window}`, events, 20) // on {ws:<id>}'s slot
 */
export function createRedisClusterHotState(options: RedisClusterHotStateOptions): HotState {
  const timeoutMs = checkPositive('timeoutMs', options.timeoutMs ?? 1_000)
  const log = options.log ?? ((m: string) => console.warn(m))
  const seeds = options.nodes.map(parseNode)
  if (seeds.length === 0) throw new RangeError('Redis Cluster hot state needs at least one node')
  const cluster = new Cluster(seeds, {
    // Nothing is retried or replayed behind the caller's back: a call this adapter reported as
    // failed (and the resilient wrapper then served from memory) must not reach Redis seconds
    // later, counting a batch twice or putting a live-feed entry in twice. ioredis would
    // otherwise re-send a command refused with CLUSTERDOWN/TRYAGAIN or cut by a dying node for
    // up to 16 rounds, and replay its offline queue whenever the cluster is ready again. MOVED
    // and ASK are still followed at once (the reply says where the slot is), and a MOVED
    // refreshes the slot map, as the adapter does after a failure (below): that is how the
    // promoted replica is found after a failover.
    retryDelayOnFailover: 0,
    retryDelayOnClusterDown: 0,
    retryDelayOnTryAgain: 0,
    slotsRefreshTimeout: timeoutMs,
    clusterRetryStrategy: (times) => Math.min(100 * times, 2_000),
    redisOptions: { connectTimeout: timeoutMs, commandTimeout: timeoutMs },
  })
  // ioredis throws on an 'error' event nobody listens to; report the first one until a call
  // succeeds again.
  let quiet = false
  const onError = (err: unknown) => {
    if (quiet) return
    quiet = true
    const why = firstLine(err instanceof Error ? err.message : String(err))
    log(`[lodestone] Redis Cluster: ${why}`)
  }
  cluster.on('error', onError)
  cluster.on('node error', onError)
  // Calls made while the client (re)connects wait here, not in ioredis's offline queue, so one
  // that runs out of time is never sent at all.
  const waitingForReady = new Set<() => void>()
  cluster.on('ready', () => {
    quiet = false
    for (const wake of waitingForReady) wake()
    waitingForReady.clear()
  })

  // With retries off, only a MOVED makes ioredis re-read the slot map, and the map it read
  // during a failover can still name the dead master (nodes learn of the promotion a moment
  // later), so the first call after the promotion would go to a dead node. For a while after
  // any outage-type failure the map is therefore re-read every second; in steady state nothing
  // extra is sent.
  let refreshUntil = 0
  let refresher: ReturnType<typeof setInterval> | undefined
  function refreshSlotsForAWhile() {
    refreshUntil = Date.now() + SLOTS_REFRESH_WINDOW_MS
    if (refresher) return
    refresher = setInterval(() => {
      if (Date.now() > refreshUntil) {
        clearInterval(refresher)
        refresher = undefined
      } else if (cluster.status === 'ready') {
        cluster.refreshSlotsCache()
      }
    }, SLOTS_REFRESH_EVERY_MS)
    refresher.unref?.()
  }

  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    let expired = false
    let wake: (() => void) | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        expired = true
        reject(hotStateUnavailable(`${what}: Redis Cluster did not answer within ${timeoutMs} ms`))
      }, timeoutMs)
    })
    const send = async () => {
      if (cluster.status !== 'ready') {
        await new Promise<void>((resolve) => {
          wake = resolve
          waitingForReady.add(resolve)
        })
      }
      if (expired) throw hotStateUnavailable(`${what}: Redis Cluster was not ready in time`)
      return run()
    }
    try {
      const result = await Promise.race([send(), deadline])
      quiet = false
      return result
    } catch (err) {
      const failure = err instanceof CollectorError ? err : toHotStateError(err, what)
      if (isHotStateUnavailable(failure)) refreshSlotsForAWhile()
      throw failure
    } finally {
      clearTimeout(timer)
      if (wake) waitingForReady.delete(wake)
    }
  }

  return {
    get: (key) => call('get', () => cluster.get(clusterKey(key))),
    async incr(key, by = 1, ttlSeconds) {
      checkInteger('by', by)
      const k = clusterKey(key)
      if (ttlSeconds === undefined) return call('incr', () => cluster.incrby(k, by))
      const ttl = checkTtl(ttlSeconds)
      // One transaction on one key (one slot), so a counter can never be left without its TTL;
      // NX keeps the first one.
      return call('incr', async () => {
        const replies = await cluster.multi().incrby(k, by).expire(k, ttl, 'NX').exec()
        if (!replies) throw new Error('the transaction was discarded')
        const [[err, value] = [null, null]] = replies
        if (err) throw err
        return Number(value)
      })
    },
    feedAppend(stream, entry, maxLen) {
      checkPositive('maxLen', maxLen)
      return call('feedAppend', async () => {
        const id = await cluster.xadd(clusterKey(stream), 'MAXLEN', '~', maxLen, '*', 'e', entry)
        if (id === null) throw new Error('XADD added nothing')
        return id
      })
    },
    async feedRead(stream, afterId, limit) {
      checkPositive('limit', limit)
      const k = clusterKey(stream)
      if (afterId === null) {
        const raw = await call('feedRead', () => cluster.xrevrange(k, '+', '-', 'COUNT', limit))
        return toEntries(raw).reverse()
      }
      const { ms, seq } = parseFeedId(afterId)
      const raw = await call('feedRead', () =>
        cluster.xrange(k, `(${ms}-${seq}`, '+', 'COUNT', limit),
      )
      return toEntries(raw)
    },
    async close() {
      clearInterval(refresher)
      cluster.disconnect()
    },
  }
}

function toEntries(raw: RawFeed | null): FeedEntry[] {
  return (raw ?? []).map(([id, fields]) => ({ id, entry: fields[fields.indexOf('e') + 1] ?? '' }))
}
