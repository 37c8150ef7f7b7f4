/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The Reports landing page: every report, one line on what it answers (docs/dashboard.md).
import { Hono } from 'hono'
import type { DashboardEnv } from '../auth/guard.js'
import { page } from '../render.js'
import { REPORTS } from '../views/layout.js'
import type { Fmt } from '../views/intl.js'

function ReportsIndex(props: { f: Fmt }) {
  const { f } = props
  return (
    <>
      <h1>{f.t('shell.nav.reports')}</h1>
      <p class="muted">{f.t('shell.reports.intro')}</p>
      <ul class="report-list" id="reports">
        {REPORTS.map(([key, label, href]) => (
          <li class="card">
            <h2>
              <a href={href}>{f.t(label)}</a>
            </h2>
            <p class="muted">{f.t(`shell.reports.${key}`)}</p>
          </li>
        ))}
      </ul>
    </>
  )
}

export function reportsIndexRoutes() {
  const app = new Hono<DashboardEnv>()
  app.get('/reports', (c) =>
    page(c, c.var.fmt.t('shell.nav.reports'), 'reports', <ReportsIndex f={c.var.fmt} />),
  )
  return app
}
