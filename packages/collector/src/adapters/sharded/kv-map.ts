import { connect, type NatsConnection } from '@nats-io/transport-node'
import { Kvm, type KV } from '@nats-io/kv'
import { jetStreamReady } from '../../log/nats.js'
import type { MoveIntent, ShardMap } from '../../shards/port.js'

export interface KvShardMapConfig {
  /** NATS servers, comma-separated (`NATS_URL`). */
  servers: string
  /** Copies of the bucket (the stream's `LODESTONE_LOG_REPLICAS`; 3 on a three-node cluster). */
  replicas?: number
  /** Bucket name (default `lodestone_shards`); tests may use their own. */
  bucket?: string
  log?: (message: string, detail?: Record<string, unknown>) => void
}

const PREFIX = 'ws.'
/** `move.<workspaceId>`: a move under way (docs/scaling.md, "Moving a workspace"). */
const MOVE = 'move.'
/** How long placement waits for this process's copy of the map to catch up with the bucket. */
const CATCH_UP_MS = 10_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Opens the bucket (creating it when missing) and its watch. Every step is a JetStream API
 * request, which times out while the cluster elects a leader (a new cluster, or a node of the
 * bucket's lost): the whole open is retried for up to a minute.
 */
async function openWatched(nc: NatsConnection, name: string, replicas: number) {
  await jetStreamReady(nc)
  const deadline = Date.now() + 60_000
  for (;;) {
    let watch: Awaited<ReturnType<KV['watch']>> | undefined
    try {
      const kv = await new Kvm(nc).create(name, { replicas, history: 1 })
      // Every key: `ws.` and `move.` (several filters need nats-server 2.10; Debian has 2.9).
      watch = await kv.watch({ key: `>` })
      // An empty bucket sends nothing to catch up with.
      const empty = (await kv.status()).values === 0
      return { kv, watch, empty }
    } catch (err) {
      watch?.stop()
      if (Date.now() > deadline) throw err
      await sleep(500)
    }
  }
}

/**
 * The workspace → shard map in a JetStream key-value bucket: key `ws.<workspaceId>`, value the
 * shard's name. Each process holds the whole map (a few bytes per workspace), filled and kept
 * current by a watch; a workspace not yet seen by the watch is read from the bucket.
 *
 * @example
 * const map = await createKvShardMap({ servers: 'nats://127.0.0.1:4222', replicas: 3 })
 * await map.assign('ws_1', 'one') // 'one', or the shard another process mapped it to first
 */
export async function createKvShardMap(cfg: KvShardMapConfig): Promise<ShardMap> {
  const nc = await connect({
    servers: cfg.servers.split(',').map((s) => s.trim()),
    name: 'lodestone-shard-map',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  })
  const { kv, watch, empty } = await openWatched(
    nc,
    cfg.bucket ?? 'lodestone_shards',
    cfg.replicas ?? 1,
  )
  const map = new Map<string, string>()
  const moves = new Map<string, MoveIntent>()
  let caughtUp!: () => void
  const ready = new Promise<void>((r) => (caughtUp = r))
  // Otherwise the last initial entry has nothing pending after it.
  if (empty) caughtUp()
  const watching = (async () => {
    for await (const e of watch) {
      if (e.key.startsWith(MOVE)) {
        const ws = e.key.slice(MOVE.length)
        if (e.operation === 'PUT') moves.set(ws, e.json<MoveIntent>())
        else moves.delete(ws)
      } else {
        const ws = e.key.slice(PREFIX.length)
        if (e.operation === 'PUT') map.set(ws, e.string())
        else map.delete(ws)
      }
      if (e.delta === 0) caughtUp()
    }
  })().catch((err: unknown) => cfg.log?.('shard map watch ended', { error: String(err) }))

  return {
    async lookup(workspaceId) {
      const known = map.get(workspaceId)
      if (known) return known
      const e = await kv.get(`${PREFIX}${workspaceId}`)
      if (!e || e.operation !== 'PUT') return null
      map.set(workspaceId, e.string())
      return e.string()
    },
    async refresh(workspaceId) {
      const e = await kv.get(`${PREFIX}${workspaceId}`)
      if (!e || e.operation !== 'PUT') return null
      map.set(workspaceId, e.string())
      return e.string()
    },
    moving: (workspaceId) => moves.get(workspaceId),
    async entry(workspaceId) {
      const e = await kv.get(`${PREFIX}${workspaceId}`)
      return e && e.operation === 'PUT' ? { shard: e.string(), revision: e.revision } : null
    },
    async switchTo(workspaceId, shard, revision) {
      await kv.update(`${PREFIX}${workspaceId}`, shard, revision)
      map.set(workspaceId, shard)
    },
    async announce(workspaceId, intent) {
      if (intent) await kv.put(`${MOVE}${workspaceId}`, JSON.stringify(intent))
      else await kv.delete(`${MOVE}${workspaceId}`)
    },
    async intent(workspaceId) {
      const e = await kv.get(`${MOVE}${workspaceId}`)
      return e && e.operation === 'PUT' ? e.json<MoveIntent>() : null
    },
    async assign(workspaceId, shard) {
      const key = `${PREFIX}${workspaceId}`
      try {
        await kv.create(key, shard)
        map.set(workspaceId, shard)
        return shard
      } catch (err) {
        // Another process mapped it first: its answer stands.
        const e = await kv.get(key)
        if (!e || e.operation !== 'PUT') throw err
        map.set(workspaceId, e.string())
        return e.string()
      }
    },
    async entries() {
      // A watch that never catches up (the bucket unreachable) must not stop placement or a
      // start: after the wait, what is known is used, and lookups still read the bucket.
      let timer: ReturnType<typeof setTimeout> | undefined
      const waited = await Promise.race([
        ready.then(() => true),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), CATCH_UP_MS))),
      ])
      clearTimeout(timer)
      if (!waited) cfg.log?.('shard map: not caught up, placing with the mappings known so far')
      return map
    },
    async close() {
      watch.stop()
      await watching
      await nc.drain()
    },
  }
}
