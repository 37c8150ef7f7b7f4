import type { Server } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { createApp } from '../app.js'
import type { AppConfig } from '../deps.js'
import type { HotState } from '../ports.js'
import { openStore, type StoreConfig } from '../adapters/open-store.js'
import { capConnectionsPerAddress } from './connection-cap.js'
import { createSdkFiles } from './sdk-files.js'
import { createHotState } from './hot-state.js'
import { createRedisClusterHotState } from '../adapters/redis-cluster/hot-state.js'
import { createLiveFeed } from '../live/feed.js'
import type { LiveStreamLimits } from '../live/subscriber.js'
import type { ReplayLimits } from '../live/ring.js'
import { createIngestLimits } from '../middleware/ingest-limits.js'
import { createWebhookWorker } from '../webhooks/worker.js'
import { createTimeSweeper } from '../segments/sweeper.js'
import { openAudiencePorts } from '../adapters/sharded/ports.js'
import { createPinnedFetch } from '../webhooks/pinned-fetch.js'
import { createNatsEventLog, type LogConfig } from '../log/nats.js'
import { loadSessionSecret } from './session-secret.js'
import type { OidcConfig } from '../team/oidc.js'
import { createQualityScheduler } from '../reports/scheduler.js'

export interface CollectorOptions extends StoreConfig {
  port?: number
  host?: string
  config?: AppConfig
  hot?: HotState
  /** Redis through Upstash REST; unset: in-process hot state. */
  upstash?: { url: string; token: string }
  /** Redis Cluster seed nodes (`REDIS_CLUSTER_NODES`, `host:port` each); exclusive with `upstash`. */
  redisCluster?: { nodes: string[]; timeoutMs?: number }
  /** How often the webhook worker looks for due deliveries (default 1,000 ms). */
  webhookIntervalMs?: number
  /** How often time's changes (decay crossings, segment windows) are looked for (default 60 s). */
  sweepIntervalMs?: number
  /** How often the quality-scan scheduler looks for due scans (default 60,000 ms; 0: off). */
  qualityScanIntervalMs?: number
  /** Events per second per workspace (default 60,000). */
  rateLimit?: number
  log?: (message: string, detail?: Record<string, unknown>) => void
  /**
   * Open connections one client address may hold (default 1,000; 0: no cap). Off when
   * `config.trustedProxyHeader` is set, since every connection then comes from the proxy.
   */
  maxConnectionsPerIp?: number
  /** Log mode (`NATS_URL`): events go to JetStream, `lodestone process` stores them. */
  eventLog?: LogConfig
  /** `LODESTONE_SESSION_SECRET`; unset: generated into `dataDir` (see entry/session-secret.ts). */
  sessionSecret?: string
  /** `LODESTONE_PUBLIC_URL`: the base of invite links; unset: the request's origin. */
  publicUrl?: string
  /** OpenID Connect sign-in (`LODESTONE_OIDC_*`, docs/team.md). */
  oidc?: OidcConfig
  /** What may queue for one live-stream subscriber before it is dropped (live/subscriber.ts). */
  liveStream?: LiveStreamLimits
  /** What each workspace's live feed keeps for streams that reconnect (live/ring.ts). */
  liveReplay?: ReplayLimits
  /** Slow-client limits; see {@link DEFAULT_TIMEOUTS}. */
  timeouts?: { headersMs?: number; requestMs?: number; keepAliveMs?: number }
}

/**
 * Server timeouts (ms) so a slow or stalled client cannot hold a connection: all headers within
 * `headersMs`, the whole request (headers and body) within `requestMs` (else 408 and the socket
 * is closed), idle keep-alive connections closed after `keepAliveMs`.
 */
export const DEFAULT_TIMEOUTS = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 }

export interface RunningCollector {
  url: string
  port: number
  store: Awaited<ReturnType<typeof openStore>>
  /** Stops accepting connections, lets in-flight requests finish, closes the store. */
  close(): Promise<void>
}

/**
 * Starts the collector on Node: opens the store, migrates, serves the Hono app.
 *
 * @example
 * const c = await startCollector({ port: 0, dataDir: null })
 * await fetch(`${c.url}/health`)
 * await c.close()
 */
export async function startCollector(opts: CollectorOptions = {}): Promise<RunningCollector> {
  const store = await openStore(opts)
  await store.migrate()
  const cluster = opts.redisCluster
  const hot =
    opts.hot ??
    createHotState({
      upstash: opts.upstash,
      redis: cluster ? () => createRedisClusterHotState({ ...cluster, log: opts.log }) : undefined,
      log: opts.log,
    })
  const eventLog = opts.eventLog ? await createNatsEventLog(opts.eventLog) : undefined
  const getConnectionIp = (c: Parameters<typeof getConnInfo>[0]) =>
    getConnInfo(c).remote.address ?? null
  // The live feed goes through the hot state only when other processes can read it (Redis, or a
  // hot state the caller shares): the in-process one is read by this process alone, whose own
  // entries its subscribers skip, so relaying through it only cost a JSON.stringify and an append
  // per entry, and each subscriber's poll parsing up to 100 of them every 250 ms to drop them
  // (docs/benchmarks.md, profile findings).
  const sharedHot = opts.hot !== undefined || opts.upstash !== undefined || cluster !== undefined
  const live = createLiveFeed(sharedHot ? hot : undefined, opts.liveReplay)
  eventLog?.onCommitted((workspaceId, entries) => live.deliver(workspaceId, entries))
  const clock = { now: () => new Date() }
  // One database, or a shard per workspace (shards/): background work runs on each.
  const { segments, lists, audienceReads, databases } = openAudiencePorts(store)
  const app = createApp({
    store,
    reports: store.reports,
    hot,
    live,
    liveStream: opts.liveStream,
    eventLog,
    segments,
    lists,
    audienceReads,
    limits: createIngestLimits(hot, {
      workspaceEventsPerSecond: opts.rateLimit,
      trustedProxyHeader: opts.config?.trustedProxyHeader,
      getConnectionIp,
    }),
    clock,
    config: opts.config ?? {},
    getConnectionIp,
    sdkScript: createSdkFiles(),
    log: opts.log,
    team: store.team,
    sessionSecret: loadSessionSecret(
      opts.sessionSecret,
      opts.dataDir === null ? null : (opts.dataDir ?? '.lodestone'),
    ),
    publicUrl: opts.publicUrl,
    oidc: opts.oidc,
    dashboardStore: store.dashboardStore,
    snapshots: store.snapshots,
  })
  const pinnedFetch = createPinnedFetch({ allowPrivate: opts.config?.webhooks?.allowPrivate })
  const background = databases.map((db) => ({
    webhooks: createWebhookWorker({
      outbox: db.store,
      log: opts.log,
      intervalMs: opts.webhookIntervalMs,
      allowPrivate: opts.config?.webhooks?.allowPrivate,
      fetch: pinnedFetch,
    }),
    sweeper: createTimeSweeper({
      port: db.segments,
      deps: { live, clock, log: opts.log },
      intervalMs: opts.sweepIntervalMs,
    }),
    scans: createQualityScheduler({
      reports: db.store.reports,
      clock,
      intervalMs: opts.qualityScanIntervalMs,
      log: opts.log,
    }),
  }))
  for (const b of background) {
    b.webhooks.start()
    b.sweeper.start()
    if (opts.qualityScanIntervalMs !== 0) b.scans.start()
  }
  const host = opts.host ?? '127.0.0.1'
  const timeouts = { ...DEFAULT_TIMEOUTS }
  for (const [k, v] of Object.entries(opts.timeouts ?? {})) {
    if (v !== undefined) timeouts[k as keyof typeof timeouts] = v
  }
  // Node requires headersTimeout <= requestTimeout.
  timeouts.headersMs = Math.min(timeouts.headersMs, timeouts.requestMs)
  let server: ServerType | undefined
  const port = await new Promise<number>((resolve, reject) => {
    server = serve(
      {
        fetch: app.fetch,
        port: opts.port ?? 8787,
        hostname: host,
        serverOptions: {
          headersTimeout: timeouts.headersMs,
          requestTimeout: timeouts.requestMs,
          keepAliveTimeout: timeouts.keepAliveMs,
          // Node checks the two limits above on this interval (default 30 s).
          connectionsCheckingInterval: Math.max(
            50,
            Math.min(1000, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 4)),
          ),
        },
      },
      (info) => resolve(info.port),
    )
    server.once('error', reject)
  })
  const perIp = opts.maxConnectionsPerIp ?? 1000
  if (perIp > 0 && !opts.config?.trustedProxyHeader)
    capConnectionsPerAddress(server as unknown as Server, perIp)
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host
  return {
    url: `http://${shownHost}:${port}`,
    port,
    store,
    async close() {
      await new Promise<void>((resolve) => {
        if (!server) return resolve()
        server.close(() => resolve())
        // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
        ;(server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.()
      })
      await Promise.all(background.map((b) => b.webhooks.stop()))
      await eventLog?.close()
      await Promise.all(background.flatMap((b) => [b.sweeper.stop(), b.scans.stop()]))
      live.close() // the relays from the hot state and the replay buffers' timers
      await store.close()
      await hot.close?.()
    },
  }
}
