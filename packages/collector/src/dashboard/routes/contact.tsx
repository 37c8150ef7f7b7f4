/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import type { DashboardEnv } from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { ContactBody } from '../pages/contact.js'
import { page, UUID } from '../render.js'

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
    const [history, events, grades] = await Promise.all([
      store.scoreHistory(ws, contact.id, 500),
      store.contactEvents(ws, contact.id, { limit: 100 }),
      store.scoreGrades(ws),
    ])
    return page(
      c,
      t(c.var.locale, 'page.contact'),
      'contacts',
      <ContactBody
        contact={contact as never}
        history={history}
        events={events?.events ?? []}
        moreEvents={Boolean(events?.next)}
        topGrade={grades[grades.length - 1]?.name ?? null}
        now={deps.clock.now().toISOString()}
      />,
    )
  })
  return app
}
