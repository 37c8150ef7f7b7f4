/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import type { DashboardEnv } from '../auth/guard.js'
import { isHttps } from '../auth/guard.js'
import { SetupBody } from '../pages/setup.js'
import { SettingsBody } from '../pages/settings.js'
import { permitted } from '../permissions.js'
import { page, type Ctx } from '../render.js'
import { timeZones, validTimeZone } from '../views/intl.js'

const store = (deps: AppDeps) => {
  if (!deps.dashboardStore)
    throw new CollectorError('store_unavailable', 'Dashboard storage missing')
  return deps.dashboardStore
}

/** The collector's address as the browser reached it (what snippets must point at). */
function hostOf(c: Ctx, deps: AppDeps): string {
  const url = new URL(c.req.url)
  const forwarded = deps.config.trustedProxyHeader ? c.req.header('x-forwarded-host') : undefined
  const host = forwarded && /^[\w.:-]+$/.test(forwarded) ? forwarded : url.host
  return `${isHttps(c, deps) ? 'https' : url.protocol.replace(':', '')}://${host}`
}

/** Onboarding (Setup) and workspace settings (time zone). */
export function setupRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  app.get('/setup', async (c) => {
    const ws = c.var.session.workspace.id
    const [settings, first] = await Promise.all([
      store(deps).settings(ws),
      store(deps).firstEvent(ws),
    ])
    const f = c.var.fmt
    return page(
      c,
      f.t('nav.setup'),
      'setup',
      <SetupBody
        f={f}
        nonce={c.var.nonce}
        csrf={c.var.session.csrf}
        host={hostOf(c, deps)}
        writeKey={settings.writeKey}
        first={first ? { at: first.receivedAt } : null}
      />,
    )
  })
  app.get('/setup/status', async (c) => {
    const first = await store(deps).firstEvent(c.var.session.workspace.id)
    return c.json({
      received: Boolean(first),
      at: first ? c.var.fmt.dateTime(first.receivedAt) : null,
    })
  })
  app.post('/setup/key', async (c) => {
    if (!permitted(c, 'setup.issueKey')) throw new CollectorError('forbidden', 'Not allowed')
    const form = await c.req.parseBody()
    if (form.confirm === '1') await store(deps).issueWriteKey(c.var.session.workspace.id)
    return c.redirect('/app/setup', 303)
  })
  const settingsPage = async (c: Ctx, error?: string) => {
    const settings = await store(deps).settings(c.var.session.workspace.id)
    const f = c.var.fmt
    return page(
      c,
      f.t('nav.settings'),
      'settings',
      <SettingsBody
        f={f}
        csrf={c.var.session.csrf}
        timeZone={settings.timeZone}
        zones={timeZones()}
        saved={c.req.query('saved') === '1'}
        error={error}
      />,
      error ? 400 : 200,
    )
  }
  app.get('/settings', (c) => settingsPage(c))
  app.post('/settings', async (c) => {
    if (!permitted(c, 'settings.write')) throw new CollectorError('forbidden', 'Not allowed')
    const form = await c.req.parseBody()
    const tz = validTimeZone(typeof form.timeZone === 'string' ? form.timeZone : '')
    if (!tz) return settingsPage(c, c.var.fmt.t('settings.badZone'))
    await store(deps).setTimeZone(c.var.session.workspace.id, tz)
    return c.redirect('/app/settings?saved=1', 303)
  })
  return app
}
