/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { DashboardEnv } from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { OverviewBody } from '../pages/overview.js'
import { page } from '../render.js'
import { FIRST_WAIT_MS, snapshotCache } from '../snapshots.js'
import { Computing } from '../views/computing.js'

const OVERVIEW_TTL_MS = 30_000

/**
 * The overview aggregates every contact: computed for each visit in a small workspace; in a
 * large one, a snapshot recomputed behind the page when older than 30 s (snapshots.ts). The
 * page says when it was computed. Snapshots are stored for every process (`deps.snapshots`);
 * while the first is being computed (over a second) the page says so.
 */
export function overviewRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  const overviews = snapshotCache((ws, now) => deps.store.dashboardOverview(ws, { now }), {
    freshMs: OVERVIEW_TTL_MS,
    now: () => deps.clock.now(),
    shared: deps.snapshots && { store: deps.snapshots, kind: 'overview' },
  })
  app.get('/', async (c) => {
    const cached = await overviews.within(c.var.session.workspace.id, FIRST_WAIT_MS)
    const l = c.var.locale
    return page(
      c,
      t(l, 'nav.overview'),
      'overview',
      cached ? (
        <OverviewBody f={c.var.fmt} data={cached.data} at={cached.at} />
      ) : (
        <Computing f={c.var.fmt} />
      ),
    )
  })
  return app
}
