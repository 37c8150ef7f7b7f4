/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { DashboardEnv } from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { dashboardLiveStream } from '../live-stream.js'
import { LiveBody } from '../pages/live.js'
import { page } from '../render.js'
import { liveAlerts } from './reports.js'

/** The Live page and the Server-Sent Events stream behind it. */
export function liveRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  app.get('/live', async (c) =>
    page(
      c,
      t(c.var.locale, 'nav.live'),
      'live',
      <LiveBody f={c.var.fmt} nonce={c.var.nonce} alerts={await liveAlerts(c, deps)} />,
    ),
  )
  app.get('/live/stream', dashboardLiveStream(deps))
  return app
}
