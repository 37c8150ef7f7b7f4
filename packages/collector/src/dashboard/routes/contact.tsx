/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import type { DashboardEnv } from '../auth/guard.js'
import { ContactBody, type Profile } from '../pages/contact.js'
import { EVENT_KINDS } from '../pages/contact-parts.js'
import { ContactAudience } from '../pages/accounts.js'
import { page, UUID } from '../render.js'

/** The currency of the contact's latest order or deal that names one. */
const currencyOf = (items: { properties: Record<string, unknown> }[]) =>
  items.map((e) => e.properties.currency).find((c): c is string => typeof c === 'string') ?? null

/** One contact's profile; a merged-away id redirects to the contact it was merged into. */
export function contactRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  const { store } = deps
  app.get('/contacts/:id', async (c) => {
    const ws = c.var.session.workspace.id
    const id = c.req.param('id')
    const contact = UUID.test(id) ? await store.getContact(ws, { id }) : null
    if (!contact) throw new CollectorError('not_found', 'No such contact')
    if (contact.id !== id) return c.redirect(`/app/contacts/${contact.id}`, 302)
    const now = deps.clock.now()
    const [timeline, events, grades, lifecycle, alerts, settings, audience] = await Promise.all([
      deps.dashboardStore?.scoreTimeline(ws, contact.id, now) ?? [],
      store.contactEvents(ws, contact.id, { limit: 100 }),
      store.scoreGrades(ws),
      deps.dashboardStore?.lifecycleEvents(ws, contact.id) ?? [],
      store.contactAlerts(ws, contact.id, 20),
      store.getLifecycleSettings(ws),
      deps.segments?.contactAudience(ws, contact.id) ?? null,
    ])
    const kind = c.req.query('kind') ?? null
    const f = c.var.fmt
    const configured = settings.traitsConfig.currency
    return page(
      c,
      f.t('page.contact'),
      'contacts',
      <ContactBody
        f={f}
        contact={contact as Profile}
        alertRules={settings.alertRules}
        timeline={timeline}
        events={events?.events ?? []}
        moreEvents={Boolean(events?.next)}
        lifecycle={lifecycle}
        alerts={alerts}
        currency={configured ?? currencyOf(lifecycle)}
        topGrade={grades[grades.length - 1]?.name ?? null}
        kind={kind && (EVENT_KINDS as readonly string[]).includes(kind) ? kind : null}
        audience={audience ? <ContactAudience f={f} {...audience} /> : undefined}
      />,
    )
  })
  return app
}
