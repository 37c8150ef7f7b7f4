import type { PostgresStore } from '../postgres/store.js'
import type { ShardConfig } from '../../shards/config.js'
import { createKvShardMap } from './kv-map.js'
import { createRouting, routedStore, type ShardRouting } from './router.js'

/** Sharding by workspace (docs/scaling.md, "Sharding"). */
export interface ShardsConfig {
  /** The databases (`LODESTONE_SHARDS`), in order: the first is the home shard. */
  shards: ShardConfig[]
  /** Where the workspace → shard map lives: the NATS cluster of log mode (`NATS_URL`). */
  nats: string
  /** Copies of the map's bucket (`LODESTONE_LOG_REPLICAS`). */
  replicas?: number
  /** The map's bucket name (default `lodestone_shards`). */
  bucket?: string
  log?: (message: string, detail?: Record<string, unknown>) => void
}

/**
 * Opens every shard's store and the map; returns the routed store over them.
 *
 * @example
 * const store = await openShardedStore(
 *   { shards: [{ name: 'one', url: 'postgres://db1/ls' }, { name: 'two', url: 'postgres://db2/ls' }], nats: 'nats://127.0.0.1:4222' },
 *   (url) => createPostgresStore(postgres(url)),
 * )
 * await store.migrate() // every shard, then the map completed from their workspaces
 */
export async function openShardedStore(
  cfg: ShardsConfig,
  open: (url: string) => PostgresStore,
): Promise<PostgresStore & { routing: ShardRouting }> {
  const map = await createKvShardMap({
    servers: cfg.nats,
    replicas: cfg.replicas,
    bucket: cfg.bucket,
    log: cfg.log,
  })
  const shards = cfg.shards.map((s) => ({ name: s.name, store: open(s.url) }))
  return routedStore(createRouting(shards, map))
}

/** The routing of a store opened over shards; undefined for one database. */
export const routingOf = (store: object): ShardRouting | undefined =>
  (store as { routing?: ShardRouting }).routing
