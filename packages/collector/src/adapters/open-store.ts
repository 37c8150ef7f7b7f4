import postgres from 'postgres'
import { resolve } from 'node:path'
import { createPostgresStore, type PostgresStore } from './postgres/store.js'
import { runningEmbedded, startEmbedded } from './pglite/embedded.js'
import { databaseTarget } from './postgres/database-url.js'
import { openShardedStore, type ShardsConfig } from './sharded/open.js'

export interface StoreConfig {
  /** A PostgreSQL server; unset: the embedded PGlite store in `dataDir`. */
  databaseUrl?: string
  /** Default `./.lodestone`. `null` keeps the embedded store in memory (tests). */
  dataDir?: string | null
  poolSize?: number
  /** Ingest transactions per workspace at once; see {@link PostgresStoreOptions}. */
  ingestTransactions?: number
  /** `LODESTONE_SHARDS`: workspaces spread over these databases (instead of `databaseUrl`). */
  shards?: ShardsConfig
}

// postgres.js waits up to 20 s between reconnects after repeated failures, holding requests
// that long once the database is back; cap it at 1 s so an outage ends when PostgreSQL does.
const pgOptions = {
  onnotice: () => {},
  connect_timeout: 5,
  idle_timeout: 60,
  backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
}

/** A store on a PostgreSQL server. */
function openServerStore(databaseUrl: string, cfg: StoreConfig): PostgresStore {
  const { url, path } = databaseTarget(databaseUrl)
  const sql = postgres(url, { ...pgOptions, max: cfg.poolSize ?? 20, ...(path && { path }) })
  return createPostgresStore(sql, { ingestTransactions: cfg.ingestTransactions })
}

/**
 * Opens the store the environment asks for. With shards, one store per database behind a router
 * (sharded/open.ts); with no DATABASE_URL, the embedded store: PGlite on disk, or, when a
 * collector of ours already serves that data dir, a connection to it.
 */
export async function openStore(cfg: StoreConfig): Promise<PostgresStore & { embedded: boolean }> {
  if (cfg.shards) {
    const store = await openShardedStore(cfg.shards, (url) => openServerStore(url, cfg))
    return Object.assign(store, { embedded: false })
  }
  if (cfg.databaseUrl) return { ...openServerStore(cfg.databaseUrl, cfg), embedded: false }
  const dir = cfg.dataDir === null ? null : resolve(cfg.dataDir ?? '.lodestone')
  const existing = dir ? runningEmbedded(dir) : null
  // PGlite is a single session: one connection keeps every statement and transaction whole.
  const single = { ...pgOptions, max: 1, prepare: false }
  if (existing) {
    return {
      ...createPostgresStore(postgres(existing, single), {}),
      embedded: true,
    }
  }
  const server = await startEmbedded(dir)
  const sql = postgres(server.url, single)
  return {
    ...createPostgresStore(sql, { onClose: server.stop }),
    embedded: true,
  }
}
