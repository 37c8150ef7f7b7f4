/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import type { DashboardEnv } from '../auth/guard.js'
import { readFilters, toStoreQuery, queryString, type ContactFilters } from '../contacts-query.js'
import { ContactsBody } from '../pages/contacts.js'
import { page, UUID, type Ctx } from '../render.js'
import { contactsCsv } from './contacts-export.js'
import { addToList, addToListNotice } from './contacts-bulk.js'
import { permitted } from '../permissions.js'

const PAGE_SIZE = 50
const ERASE_MAX = 500

type SearchResult = Awaited<ReturnType<AppDeps['store']['searchContacts']>>
const EMPTY: SearchResult = { contacts: [], next: null, scanned: 0, windowFull: false }

/** One page of contacts for the filters; a bad filter or cursor is an inline error. */
async function searchPage(c: Ctx, deps: AppDeps, filters: ContactFilters) {
  const f = c.var.fmt
  const { query, invalid } = toStoreQuery(filters, deps.clock.now())
  if (invalid.length)
    return {
      result: EMPTY,
      error: f.t('contacts.invalid', {
        fields: invalid.map((k) => f.t(`contacts.${k}`)).join(', '),
      }),
    }
  try {
    const result = await deps.store.searchContacts(c.var.session.workspace.id, {
      ...query,
      limit: PAGE_SIZE,
      cursor: c.req.query('cursor') || undefined,
    })
    return { result, error: undefined }
  } catch (err) {
    if (!(err instanceof CollectorError) || err.status !== 400) throw err
    return { result: EMPTY, error: f.t('contacts.badLink') }
  }
}

async function contactsPage(c: Ctx, deps: AppDeps, notice?: string) {
  const ws = c.var.session.workspace.id
  const filters = readFilters(c.req.query())
  const canAddToList = Boolean(deps.lists) && permitted(c, 'contacts.addToList')
  const [grades, views, { result, error }, lists, segments, settings, added] = await Promise.all([
    deps.store.scoreGrades(ws),
    deps.dashboardStore?.views(ws) ?? [],
    searchPage(c, deps, filters),
    deps.lists?.listLists(ws) ?? [],
    deps.segments?.listSegments(ws) ?? [],
    deps.store.getLifecycleSettings(ws),
    addToListNotice(c, deps),
  ])
  // Money as the profile shows it: the reporting currency, else each contact's own.
  const currency = settings.traitsConfig.currency ?? null
  const currencies =
    currency || !deps.dashboardStore
      ? new Map<string, string>()
      : await deps.dashboardStore.contactCurrencies(
          ws,
          result.contacts.filter((x) => x.traits.lifetimeValue != null).map((x) => x.id),
        )
  return page(
    c,
    c.var.fmt.t('nav.contacts'),
    'contacts',
    <ContactsBody
      f={c.var.fmt}
      csrf={c.var.session.csrf}
      filters={filters}
      grades={grades.map((g) => g.name)}
      views={views}
      {...result}
      paged={Boolean(c.req.query('cursor'))}
      canErase={permitted(c, 'contacts.erase')}
      canExport={permitted(c, 'contacts.export')}
      canAddToList={canAddToList}
      lists={lists}
      audiences={{ segments, lists }}
      currency={currency}
      currencies={currencies}
      notice={notice ?? added?.notice}
      noticeLink={added?.link}
      error={error}
    />,
    error ? 400 : 200,
  )
}

/** The contacts list: filters, sorting, saved views, CSV export, add to a list, bulk erase. */
export function contactsRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  app.get('/contacts', (c) => {
    const erased = c.req.query('erased')
    const notice = erased
      ? c.var.fmt.t('contacts.erased', { n: c.var.fmt.num(Number(erased) || 0) })
      : undefined
    return contactsPage(c, deps, notice)
  })
  app.get('/contacts/export.csv', (c) => contactsCsv(c, deps))
  app.post('/contacts/views', async (c) => {
    const form = await c.req.parseBody()
    const name = typeof form.name === 'string' ? form.name.trim().slice(0, 80) : ''
    const query = queryString({
      ...readFilters(Object.fromEntries(new URLSearchParams(String(form.query ?? '')))),
    }).slice(1)
    if (name && deps.dashboardStore)
      await deps.dashboardStore.saveView(c.var.session.workspace.id, name, query)
    return c.redirect(`/app/contacts${query ? `?${query}` : ''}`, 303)
  })
  app.post('/contacts/views/:id/delete', async (c) => {
    await deps.dashboardStore?.deleteView(c.var.session.workspace.id, c.req.param('id'))
    return c.redirect('/app/contacts', 303)
  })
  app.post('/contacts/add-to-list', (c) => addToList(c, deps))
  app.post('/contacts/erase', async (c) => {
    if (!permitted(c, 'contacts.erase')) throw new CollectorError('forbidden', 'Not allowed')
    const form = await c.req.parseBody({ all: true })
    const ids = ([] as unknown[])
      .concat(form.ids ?? [])
      .filter((v): v is string => typeof v === 'string' && UUID.test(v))
    if (form.confirm !== '1' || ids.length === 0 || ids.length > ERASE_MAX)
      return contactsPage(c, deps, c.var.fmt.t('contacts.eraseNothing'))
    let erased = 0
    for (const id of ids)
      if (await deps.store.deleteContact(c.var.session.workspace.id, id)) erased++
    return c.redirect(`/app/contacts?erased=${erased}`, 303)
  })
  return app
}
