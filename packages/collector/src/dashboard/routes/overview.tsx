/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { DashboardOverview } from '../../ports.js'
import type { DashboardEnv } from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { OverviewBody } from '../pages/overview.js'
import { page } from '../render.js'

const OVERVIEW_TTL_MS = 30_000

/** The overview aggregates every contact: computed at most every 30 s per workspace. */
export function overviewRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  const overviews = new Map<string, { until: number; at: string; data: DashboardOverview }>()
  app.get('/', async (c) => {
    const ws = c.var.session.workspace.id
    let cached = overviews.get(ws)
    if (!cached || cached.until <= Date.now()) {
      const now = deps.clock.now()
      const data = await deps.store.dashboardOverview(ws, { now })
      if (overviews.size >= 1000) overviews.clear()
      cached = { until: Date.now() + OVERVIEW_TTL_MS, at: now.toISOString(), data }
      overviews.set(ws, cached)
    }
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
