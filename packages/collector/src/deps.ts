import type { Context } from 'hono'
import type { Clock, HotState, Store } from './ports.js'
import type { LiveFeed } from './live/feed.js'
import type { LiveStreamLimits } from './live/subscriber.js'
import type { AudiencePort } from './segments/port.js'
import type { ListsPort } from './lists/port.js'
import type { AudienceReads } from './segments/dashboard-port.js'
import type { EventLog } from './log/port.js'
import type { TeamStore } from './team/port.js'
import type { OidcConfig } from './team/oidc.js'
import type { ReportsStore } from './reports/port.js'
import type { DashboardStore } from './dashboard/port.js'
import type { SnapshotStore } from './dashboard/snapshot-port.js'

// What `createApp` is given. A module of its own so routes and middleware can name their
// dependencies without importing app.ts (which imports them: that would be a cycle).

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

/** The app's dependencies with the store narrowed to the roles one consumer uses (ports.ts). */
export type Deps<S> = Omit<AppDeps, 'store'> & { store: S }

/** Everything the app needs, injected: the core never reads process.env or imports a runtime. */
export interface AppDeps {
  store: Store
  hot?: HotState
  /** Live feed for `GET /v1/stream` (score changes, grade crossings, new events). */
  live?: LiveFeed
  /** What may wait for one live-stream subscriber before it is dropped (live/subscriber.ts). */
  liveStream?: LiveStreamLimits
  clock: Clock
  config: AppConfig
  limits?: IngestLimits
  /** The runtime's view of the peer address (Node: @hono/node-server's getConnInfo). */
  getConnectionIp?: (c: Context) => string | null
  /** The script-tag build, for `GET /sdk.js`; null when not built. */
  sdkScript?: (variant: 'full' | 'core' | 'chat' | 'segments') => Promise<string | null>
  /** Segments, lists, accounts and the time sweep (docs/segments.md). */
  segments?: AudiencePort
  /** Static lists and segment/list exports (docs/segments.md). */
  lists?: ListsPort
  /** The dashboard's segment preview and account ranking (segments/dashboard-port.ts). */
  audienceReads?: AudienceReads
  /** Log mode (docs/scaling.md): events go to this durable log; processors store them. */
  eventLog?: EventLog
  /** Reports, ad costs, quality scans and alerts (reports/port.ts). */
  reports?: ReportsStore
  /** The dashboard's settings, saved views and rules texts (dashboard/port.ts). */
  dashboardStore?: DashboardStore
  /** Whole-workspace figures stored for every process (dashboard/snapshot-port.ts). */
  snapshots?: SnapshotStore
  /** Logs without personal data. */
  log?: (message: string, detail?: Record<string, unknown>) => void
  /** Users, sessions, API keys, audit (team/port.ts); default: the store's own `team`. */
  team?: TeamStore
  /**
   * Keys the session-token HMAC and CSRF tokens (`LODESTONE_SESSION_SECRET`); never derived from
   * database contents. Unset: random per app, so sessions end with the process.
   */
  sessionSecret?: string
  /** The address people open the dashboard at, for invite links; default: the request's origin. */
  publicUrl?: string
  /** OpenID Connect sign-in (docs/team.md); unset: e-mail and password only. */
  oidc?: OidcConfig
}

/** The app's dependencies once createApp has settled the team port and the session secret. */
export type TeamDeps = AppDeps & { team: TeamStore; sessionSecret: string }
