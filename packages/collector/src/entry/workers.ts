import postgres from 'postgres'
import type { Context } from 'hono'
import { createApp } from '../app.js'
import type { HotState } from '../ports.js'
import { createPostgresStore } from '../adapters/postgres/store.js'
import { EnvError, readEnv, type CollectorEnv } from './env.js'
import { createHotState } from './hot-state.js'
import { createLiveFeed } from '../live/feed.js'
import { createIngestLimits } from '../middleware/ingest-limits.js'
import { createAudienceStore } from '../adapters/postgres/segments-store.js'
import { createListsStore } from '../adapters/postgres/lists-store.js'
import { createAudienceReads } from '../adapters/postgres/segments-dashboard-reads.js'
import { createTimeSweeper } from '../segments/sweeper.js'

/**
 * The collector on Cloudflare Workers (workerd). Bundle with the `workerd` export condition so
 * postgres.js takes its `cloudflare:sockets` build; run with the `nodejs_compat` flag. The
 * database is migrated beforehand (`lodestone migrate` from Node); this entry only serves.
 * No webhook worker or SDK files here: those need a long-lived process and the file system.
 * Segments, lists and accounts are served (their adapters are postgres.js only); time's work
 * (the due sweep, segment back-fills, daily counts: docs/segments.md) runs from a Cron Trigger
 * through `scheduled`, one pass per trigger, or from any Node process alongside.
 */
export interface WorkersEnv {
  DATABASE_URL: string
  UPSTASH_REDIS_REST_URL?: string
  UPSTASH_REDIS_REST_TOKEN?: string
  LODESTONE_TRUSTED_PROXY_HEADER?: string
  LODESTONE_RATE_LIMIT?: string
  LODESTONE_ANONYMIZE_IP?: string
  /** Needed for dashboard sessions to work across isolates (docs/team.md). */
  LODESTONE_SESSION_SECRET?: string
  LODESTONE_PUBLIC_URL?: string
  /** The other variables of README.md's configuration table are read too; see entry/env.ts. */
  [name: string]: unknown
}

/** The part of the Workers ExecutionContext this entry uses. */
export interface WorkersContext {
  waitUntil(promise: Promise<unknown>): void
}

// Hot state has no sockets (in-process maps, or Upstash over fetch per call), so one per isolate
// is safe to share between requests; a database socket is not (workerd ties I/O to the request
// that opened it), so each request gets its own small pool, ended once the response is sent.
let hot: HotState | undefined

function hotState(env: CollectorEnv): HotState {
  hot ??= createHotState({
    upstash: env.upstashUrl ? { url: env.upstashUrl, token: env.upstashToken ?? '' } : undefined,
  })
  return hot
}

function misconfigured(message: string): Response {
  return Response.json(
    { success: false, error: { code: 'misconfigured', message } },
    { status: 500 },
  )
}

export default {
  async fetch(request: Request, env: WorkersEnv, ctx: WorkersContext): Promise<Response> {
    let settings: CollectorEnv
    try {
      settings = readEnv(env)
    } catch (err) {
      if (err instanceof EnvError) return misconfigured(err.message)
      throw err
    }
    if (settings.shards) {
      return misconfigured(
        'LODESTONE_SHARDS needs the Node entry (the shard map is read over NATS); on Workers set DATABASE_URL',
      )
    }
    if (!env.DATABASE_URL) return misconfigured('DATABASE_URL is not set')
    if (settings.redisClusterNodes) {
      return misconfigured(
        'REDIS_CLUSTER_NODES needs TCP sockets (the Node entry); on Workers use UPSTASH_REDIS_REST_URL',
      )
    }
    const sql = openSql(env.DATABASE_URL)
    const store = createPostgresStore(sql, {})
    const state = hotState(settings)
    const getConnectionIp = (c: Context) => c.req.header('cf-connecting-ip') ?? null
    const app = createApp({
      store,
      dashboardStore: store.dashboardStore,
      snapshots: store.snapshots,
      reports: store.reports,
      hot: state,
      // A feed per request: nothing outlives it, so no replay buffer is kept (live/feed.ts);
      // a reconnection with Last-Event-ID gets a `reset` (docs/scoring.md, "Reconnecting").
      live: createLiveFeed(state, { idleMs: 0 }),
      liveStream: settings.liveStream,
      limits: createIngestLimits(state, {
        workspaceEventsPerSecond: settings.rateLimit,
        trustedProxyHeader: settings.trustedProxyHeader,
        getConnectionIp,
      }),
      clock: { now: () => new Date() },
      config: {
        trustedProxyHeader: settings.trustedProxyHeader,
        anonymizeIp: settings.anonymizeIp,
      },
      getConnectionIp,
      team: store.team,
      segments: createAudienceStore(sql),
      lists: createListsStore(sql),
      audienceReads: createAudienceReads(sql),
      sessionSecret: env.LODESTONE_SESSION_SECRET || undefined,
      publicUrl: env.LODESTONE_PUBLIC_URL || undefined,
    })
    try {
      return await app.fetch(request)
    } finally {
      ctx.waitUntil(store.close().catch(() => {}))
    }
  },

  /**
   * A Cron Trigger (e.g. every minute): one pass of the time sweep, segment back-fill batches
   * and daily counts. Like every collector process, the store hands each due contact and
   * back-fill batch to one caller, so triggers may overlap with Node processes.
   */
  async scheduled(_event: unknown, env: WorkersEnv, ctx: WorkersContext): Promise<void> {
    if (!env.DATABASE_URL) return
    const settings = readEnv(env)
    const sql = openSql(env.DATABASE_URL)
    const state = hotState(settings)
    const sweeper = createTimeSweeper({
      port: createAudienceStore(sql),
      deps: { live: createLiveFeed(state), clock: { now: () => new Date() } },
    })
    try {
      await sweeper.tick()
    } finally {
      ctx.waitUntil(sql.end({ timeout: 5 }).catch(() => {}))
    }
  },
}

function openSql(url: string) {
  return postgres(url, {
    onnotice: () => {},
    connect_timeout: 5,
    max: 4,
    // One request per pool: nothing to gain from prepared statements that die with it.
    prepare: false,
  })
}
