/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { DashboardEnv } from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { QualityBody, qualityPageIds } from '../pages/quality.js'
import { page } from '../render.js'
import { snapshotCache } from '../snapshots.js'

/** A slow quality report (a large workspace) is recomputed behind the page after this. */
const QUALITY_TTL_MS = 60_000
/** How long the first visit waits for the first report before saying it is being computed. */
const FIRST_WAIT_MS = 3000

/**
 * The data-quality report over every live contact: computed for each visit in a small
 * workspace; in a large one, a snapshot recomputed behind the page when older than a minute
 * (snapshots.ts). The page says when it was computed; while the first one is being computed
 * (over 3 s), it says so instead.
 */
export function qualityRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  const reports = snapshotCache((ws) => deps.store.qualityReport(ws), {
    freshMs: QUALITY_TTL_MS,
    now: () => deps.clock.now(),
  })
  app.get('/quality', async (c) => {
    const ws = c.var.session.workspace.id
    const pending = reports.get(ws)
    let timer: ReturnType<typeof setTimeout> | undefined
    const snap = await Promise.race([
      pending,
      new Promise<null>((r) => (timer = setTimeout(() => r(null), FIRST_WAIT_MS))),
    ]).finally(() => clearTimeout(timer))
    if (!snap) {
      pending.catch(() => {}) // the next visit sees the outcome
      return page(
        c,
        t(c.var.locale, 'nav.quality'),
        'quality',
        <section class="card" id="quality-computing">
          <p>{t(c.var.locale, 'quality.computing')}</p>
        </section>,
      )
    }
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
