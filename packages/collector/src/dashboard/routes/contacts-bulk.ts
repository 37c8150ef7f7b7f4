// The contacts list's "add to a list" bulk action (docs/dashboard.md): the ticked contacts, or
// every contact matching the page's filters, join a static list (docs/segments.md) in
// transactions of one page each, so a large addition never holds one long transaction and
// other requests keep being served between pages.
import type { AppDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import type { ListView } from '../../lists/port.js'
import { publishOutcome } from '../../segments/publish-outcome.js'
import { queryString, readFilters, toStoreQuery } from '../contacts-query.js'
import { ADD_ALL_MAX } from '../pages/contacts-bulk.js'
import { permitted } from '../permissions.js'
import { UUID, type Ctx } from '../render.js'

/** Contacts added per transaction (and per page of the filtered search). */
const CHUNK = 500

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
/** A list id as lists-store.ts makes them (`lst_…`). */
const LIST_ID = /^[A-Za-z0-9_-]{1,64}$/

/** The ticked ids of a form (at most a page's worth are ever ticked). */
function tickedIds(form: Record<string, unknown>): string[] {
  return ([] as unknown[])
    .concat(form.ids ?? [])
    .filter((v): v is string => typeof v === 'string' && UUID.test(v))
    .slice(0, CHUNK)
}

/** `POST /app/contacts/add-to-list`: adds, then back to the same filters with a notice. */
export async function addToList(c: Ctx, deps: AppDeps) {
  const lists = deps.lists
  if (!lists || !permitted(c, 'contacts.addToList'))
    throw new CollectorError('forbidden', 'Not allowed')
  const ws = c.var.session.workspace.id
  const form = await c.req.parseBody({ all: true })
  const filters = readFilters(Object.fromEntries(new URLSearchParams(str(form.query))))
  const back = (extra: Record<string, string>) =>
    c.redirect(`/app/contacts${queryString({ ...filters, ...extra })}`, 303)

  const all = form.scope === 'all'
  const ticked = all ? [] : tickedIds(form)
  const picked = str(form.list)
  const name = str(form.newList).slice(0, 200)
  if ((!picked && !name) || (!all && ticked.length === 0)) return back({ bulk: 'nothing' })
  let list: ListView | null = picked
    ? LIST_ID.test(picked)
      ? await lists.getList(ws, picked)
      : null
    : await lists.createList(ws, name)
  if (!list) return back({ bulk: 'nolist' })

  const now = deps.clock.now()
  let added = 0
  let already = 0
  const add = async (ids: string[]) => {
    if (!ids.length) return
    const out = await lists.changeMembers(ws, list!.id, 'add', { contactIds: ids }, now)
    if (!out) throw new CollectorError('not_found', 'No such list')
    added += out.changed
    already += out.unchanged
    await publishOutcome(deps, out.outcome)
  }

  let capped = false
  if (all) {
    const { query, invalid } = toStoreQuery(filters, now)
    if (invalid.length) return back({ bulk: 'nothing' })
    let cursor: string | undefined
    let seen = 0
    do {
      const page = await deps.store.searchContacts(ws, {
        ...query,
        limit: Math.min(CHUNK, ADD_ALL_MAX - seen),
        cursor,
      })
      seen += page.contacts.length
      await add(page.contacts.map((x) => x.id))
      cursor = page.next ?? undefined
    } while (cursor && seen < ADD_ALL_MAX)
    capped = Boolean(cursor)
  } else await add(ticked)
  list = (await lists.getList(ws, list.id)) ?? list
  return back({
    added: String(added),
    already: String(already),
    list: list.id,
    ...(capped ? { capped: '1' } : {}),
  })
}

/** The notice after an addition (or why nothing was added), from the redirect's query. */
export async function addToListNotice(
  c: Ctx,
  deps: AppDeps,
): Promise<{ notice: string; link?: { href: string; label: string } } | null> {
  const f = c.var.fmt
  const bulk = c.req.query('bulk')
  if (bulk === 'nothing') return { notice: f.t('bulk.nothing') }
  if (bulk === 'nolist') return { notice: f.t('bulk.noList') }
  const id = c.req.query('list')
  const added = c.req.query('added')
  if (!id || added === undefined || !LIST_ID.test(id) || !deps.lists) return null
  const list = await deps.lists.getList(c.var.session.workspace.id, id)
  if (!list) return null
  const n = (k: string) => f.num(Number(c.req.query(k)) || 0)
  return {
    notice: f.t(c.req.query('capped') ? 'bulk.addedCapped' : 'bulk.added', {
      n: n('added'),
      already: n('already'),
      list: list.name,
      max: f.num(ADD_ALL_MAX),
    }),
    link: { href: `/app/contacts?segment=${list.id}`, label: f.t('bulk.viewList') },
  }
}
