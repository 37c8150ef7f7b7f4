import { Hono, type Context } from 'hono'
import type { Clock, HotState, Store } from './ports.js'
import type { EventLog } from './log/port.js'
import { CollectorError } from './errors.js'
import { mapStoreError } from './adapters/postgres/errors.js'
import { ingestRoutes } from './routes/ingest.js'
import { lifecycleRoutes } from './routes/lifecycle.js'
import { contactRoutes } from './routes/contacts.js'
import { healthRoutes } from './routes/health.js'
import { sdkRoutes } from './routes/sdk.js'
import { scoringRoutes } from './routes/scoring.js'
import { webhookRoutes } from './routes/webhooks.js'
import { dashboardRoutes } from './dashboard/routes.js'
import type { LiveFeed } from './live/feed.js'

export interface AppConfig {
  /** Header holding the client IP when behind a trusted proxy (e.g. `x-forwarded-for`). */
  trustedProxyHeader?: string
  /** Truncate client IPs before storing them. */
  anonymizeIp?: boolean
  /** Webhooks: `allowPrivate` lets URLs target loopback, private and link-local addresses. */
  webhooks?: { allowPrivate?: boolean }
}

export interface IngestLimits {
  /** Throws a 429 CollectorError when the workspace or client is over its limit. */
  checkIngest(c: Context, workspaceId: string, events: number): Promise<void>
}

/** Everything the app needs, injected: the core never reads process.env or imports a runtime. */
export interface AppDeps {
  store: Store
  hot?: HotState
  /** Live feed for `GET /v1/stream` (score changes, grade crossings, new events). */
  live?: LiveFeed
  clock: Clock
  config: AppConfig
  limits?: IngestLimits
  /** The runtime's view of the peer address (Node: @hono/node-server's getConnInfo). */
  getConnectionIp?: (c: Context) => string | null
  /** The script-tag build, for `GET /sdk.js`; null when not built. */
  sdkScript?: (variant: 'full' | 'core') => Promise<string | null>
  /** Log mode (docs/scaling.md): events go to this durable log; processors store them. */
  eventLog?: EventLog
  /** Logs without personal data. */
  log?: (message: string, detail?: Record<string, unknown>) => void
}

/**
 * Builds the collector as a Hono app.
 *
 * @example
 * const app = createApp({ store, clock: { now: () => new Date() }, config: {} })
 * const res = await app.request('/health')
 */
export function createApp(deps: AppDeps) {
  const app = new Hono()
  app.route('/v1', ingestRoutes(deps))
  // Before contactRoutes: `/contacts/export` must not be read as a contact id.
  app.route('/v1', lifecycleRoutes(deps))
  app.route('/v1', contactRoutes(deps))
  app.route('/v1', scoringRoutes(deps))
  app.route('/v1', webhookRoutes(deps))
  app.route('/', healthRoutes(deps))
  app.route('/', sdkRoutes(deps))
  app.route('/app', dashboardRoutes(deps))

  app.notFound((c) =>
    c.json({ success: false, error: { code: 'not_found', message: 'Not found' } }, 404),
  )
  app.onError((err, c) => {
    const mapped = mapStoreError(err)
    if (mapped instanceof CollectorError) {
      if (mapped.retryAfterSeconds) c.header('Retry-After', String(mapped.retryAfterSeconds))
      const body: Record<string, unknown> = {
        success: false,
        error: {
          code: mapped.code,
          message: mapped.message,
          ...(mapped.issues ? { issues: mapped.issues } : {}),
        },
      }
      if (mapped.rejected) body.rejected = mapped.rejected
      if (mapped.status >= 500)
        deps.log?.('request failed', { code: mapped.code, route: c.req.routePath })
      return c.json(body, mapped.status as 400)
    }
    // A bug: log the type and place, never the request's data. The route pattern, not the path
    // (`/v1/contacts/email:…`), and the error's code, not its message (PostgreSQL quotes values).
    deps.log?.('unhandled error', {
      name: (err as Error)?.name,
      code: (err as { code?: unknown })?.code,
      route: c.req.routePath,
    })
    return c.json({ success: false, error: { code: 'internal', message: 'Internal error' } }, 500)
  })
  return app
}
