/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { DashboardEnv } from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { OverviewBody } from '../pages/overview.js'
import { page } from '../render.js'
import { snapshotCache } from '../snapshots.js'

const OVERVIEW_TTL_MS = 30_000

/**
 * The overview aggregates every contact: computed for each visit in a small workspace; in a
 * large one, a snapshot recomputed behind the page when older than 30 s (snapshots.ts). The
 * page says when it was computed.
 */
export function overviewRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  const overviews = snapshotCache((ws, now) => deps.store.dashboardOverview(ws, { now }), {
    freshMs: OVERVIEW_TTL_MS,
    now: () => deps.clock.now(),
  })
  app.get('/', async (c) => {
    const cached = await overviews.get(c.var.session.workspace.id)
    const l = c.var.locale
    return page(
      c,
      t(l, 'nav.overview'),
      'overview',
      <OverviewBody f={c.var.fmt} data={cached.data} at={cached.at} />,
    )
  })
  return app
}
