/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { DashboardEnv } from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { QualityBody, qualityPageIds } from '../pages/quality.js'
import { page } from '../render.js'
import { FIRST_WAIT_MS, snapshotCache } from '../snapshots.js'
import { Computing } from '../views/computing.js'

/** A slow quality report (a large workspace) is recomputed behind the page after this. */
const QUALITY_TTL_MS = 60_000

/**
 * The data-quality report over every live contact: computed for each visit in a small
 * workspace; in a large one, a snapshot recomputed behind the page when older than a minute
 * (snapshots.ts). The page says when it was computed; while the first one is being computed
 * (over a second), it says so instead.
 */
export function qualityRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  const reports = snapshotCache((ws) => deps.store.qualityReport(ws), {
    freshMs: QUALITY_TTL_MS,
    now: () => deps.clock.now(),
    shared: deps.snapshots && { store: deps.snapshots, kind: 'quality' },
  })
  app.get('/quality', async (c) => {
    const ws = c.var.session.workspace.id
    const snap = await reports.within(ws, FIRST_WAIT_MS)
    if (!snap)
      return page(
        c,
        t(c.var.locale, 'nav.quality'),
        'quality',
        <Computing f={c.var.fmt} id="quality-computing" message="quality.computing" />,
      )
    const { data: report, at } = snap
    const labels = await deps.store.contactLabels(ws, qualityPageIds(report))
    return page(
      c,
      t(c.var.locale, 'nav.quality'),
      'quality',
      <QualityBody f={c.var.fmt} report={report} labels={labels} at={at} />,
    )
  })
  return app
}
