/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { DashboardEnv } from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { QualityBody, qualityPageIds } from '../pages/quality.js'
import { page } from '../render.js'

/** The data-quality report over every live contact. */
export function qualityRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  app.get('/quality', async (c) => {
    const ws = c.var.session.workspace.id
    const report = await deps.store.qualityReport(ws)
    const labels = await deps.store.contactLabels(ws, qualityPageIds(report))
    const at = deps.clock.now().toISOString()
    return page(
      c,
      t(c.var.locale, 'nav.quality'),
      'quality',
      <QualityBody f={c.var.fmt} report={report} labels={labels} at={at} />,
    )
  })
  return app
}
