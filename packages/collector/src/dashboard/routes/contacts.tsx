/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import type { DashboardEnv } from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { ContactsBody, type ContactFilters } from '../pages/contacts.js'
import { page, text } from '../render.js'

const PAGE_SIZE = 50

type SearchResult = Awaited<ReturnType<AppDeps['store']['searchContacts']>>

/** The contacts list: search, filters and keyset pages. */
export function contactsRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  const { store } = deps
  app.get('/contacts', async (c) => {
    const ws = c.var.session.workspace.id
    const l = c.var.locale
    const q = c.req.query()
    const filters: ContactFilters = {
      q: text(q.q),
      grade: text(q.grade, 64),
      trait: text(q.trait, 128),
      value: text(q.value),
      topic: text(q.topic, 128),
    }
    const grades = (await store.scoreGrades(ws)).map((g) => g.name)
    let error: string | undefined
    let result: SearchResult = { contacts: [], next: null, scanned: 0, windowFull: false }
    try {
      result = await store.searchContacts(ws, {
        limit: PAGE_SIZE,
        cursor: q.cursor || undefined,
        search: filters.q,
        grade: filters.grade,
        trait: filters.trait ? { name: filters.trait, value: filters.value ?? '' } : undefined,
        topic: filters.topic,
      })
    } catch (err) {
      if (!(err instanceof CollectorError) || err.status !== 400) throw err
      error = 'That search or page link is not valid.'
    }
    return page(
      c,
      t(l, 'nav.contacts'),
      'contacts',
      <ContactsBody
        filters={filters}
        grades={grades}
        {...result}
        paged={Boolean(q.cursor)}
        error={error}
      />,
      error ? 400 : 200,
    )
  })
  return app
}
