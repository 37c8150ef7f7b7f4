import { Hono } from 'hono'
import type { Deps } from '../deps.js'
import { exportContact } from '../contacts/export.js'
import type { ContactRef, ContactStore, DashboardReads, KeyLookup, Workspace } from '../ports.js'
import { CollectorError } from '../errors.js'
import { FILTER_KEYS, readFilters, toStoreQuery } from '../dashboard/contacts-query.js'
import { auditChange, contactTarget } from '../audit/record.js'
import { contactRefFromPath, identifierFromQuery, parseLimit } from './params.js'

type Env = { Variables: { workspace: Workspace } }

/** Read API for contacts (secret key): lists, lookups, events, GDPR export and delete. */
export function contactRoutes(
  deps: Deps<ContactStore & KeyLookup & Pick<DashboardReads, 'searchContacts'>>,
) {
  const app = new Hono<Env>()
  const { store } = deps

  const notFound = () => new CollectorError('not_found', 'No such contact')

  /**
   * The contacts page's own query (docs/dashboard.md, "The same list through the API"): its
   * filters and sorts, read by the same code, so the API lists what the page shows.
   */
  async function asTheDashboard(workspaceId: string, q: Record<string, string>) {
    if (Object.keys(q).some((k) => k.startsWith('trait.')))
      throw new CollectorError(
        'bad_request',
        'trait.<name> cannot be combined with the dashboard filters: use trait=<name>&value=<value>',
      )
    // The API's default order stays newest activity first.
    const filters = readFilters({ sort: 'lastSeen', ...q })
    const { query, invalid } = toStoreQuery(filters, deps.clock.now())
    if (invalid.length) throw new CollectorError('bad_request', `Invalid ${invalid.join(', ')}`)
    return store.searchContacts(workspaceId, {
      ...query,
      limit: parseLimit(q.limit),
      cursor: q.cursor,
    })
  }

  app.get('/contacts', async (c) => {
    const q = c.req.query()
    const sort = q.sort ?? 'lastSeen'
    const dashboard =
      (sort !== 'lastSeen' && sort !== 'score') ||
      FILTER_KEYS.some((k) => k !== 'sort' && k !== 'segment' && k !== 'account' && q[k])
    if (dashboard) return c.json(await asTheDashboard(c.var.workspace.id, q))
    // Null prototype: `trait.__proto__=x` must be a filter like any other, not a prototype.
    const traits: Record<string, string> = Object.create(null)
    for (const [k, v] of Object.entries(q)) if (k.startsWith('trait.')) traits[k.slice(6)] = v
    const page = await store.listContacts(c.var.workspace.id, {
      sort,
      limit: parseLimit(q.limit),
      cursor: q.cursor,
      traits,
      segmentId: q.segment,
      accountId: q.account,
      now: deps.clock.now(),
    })
    return c.json(page)
  })

  // A contact read: the store's view, scored as of the clock, with its segments and accounts.
  async function readContact(workspaceId: string, ref: ContactRef) {
    const contact = await store.getContact(workspaceId, ref, deps.clock.now())
    if (!contact) throw notFound()
    const audience = await deps.segments?.contactAudience(workspaceId, contact.id)
    return { ...contact, ...audience }
  }

  app.get('/contacts/lookup', async (c) =>
    c.json(await readContact(c.var.workspace.id, identifierFromQuery(c.req.query()))),
  )

  app.get('/contacts/:ref', async (c) =>
    c.json(await readContact(c.var.workspace.id, contactRefFromPath(c.req.param('ref')))),
  )

  app.get('/contacts/:ref/events', async (c) => {
    const contact = await store.getContact(
      c.var.workspace.id,
      contactRefFromPath(c.req.param('ref')),
    )
    if (!contact) throw notFound()
    const page = await store.contactEvents(c.var.workspace.id, contact.id, {
      limit: parseLimit(c.req.query('limit')),
      cursor: c.req.query('cursor'),
    })
    if (!page) throw notFound()
    return c.json(page)
  })

  app.get('/contacts/:ref/export', async (c) => {
    const ref = contactRefFromPath(c.req.param('ref'))
    const doc = await exportContact(store, c.var.workspace.id, ref, deps.clock.now())
    if (!doc) throw notFound()
    auditChange(c, { target: await contactTarget(c.var.workspace.id, doc.contact.id) })
    c.header('Content-Disposition', `attachment; filename="contact-${doc.contact.id}.json"`)
    return c.json(doc)
  })

  app.delete('/contacts/:ref', async (c) => {
    const ws = c.var.workspace.id
    const contact = await store.getContact(ws, contactRefFromPath(c.req.param('ref')))
    if (!contact || !(await store.deleteContact(ws, contact.id))) throw notFound()
    auditChange(c, { target: await contactTarget(ws, contact.id) })
    return c.json({ success: true, deleted: contact.id })
  })
  return app
}
