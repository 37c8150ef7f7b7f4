import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { dashboardClient } from '../test-support/dashboard.js'
import { contactsOrdering } from '../adapters/postgres/dashboard/sort-keys.js'
import { CONTACT_SORTS, type ContactSort } from '../ports.js'

// The contacts list's columns, its "add to a list" bulk action, the API listing what the page
// shows, and the language a person picks kept on their user (docs/dashboard.md).

type App = Awaited<ReturnType<typeof createTestApp>>

const DAY = 86_400_000
const T0 = Date.parse('2026-11-01T00:00:00Z')

/** 24 people: names with and without `name`, some without a lifetime value or churn risk. */
const people = Array.from({ length: 24 }, (_, i) => {
  const letter = String.fromCharCode(97 + ((i * 7) % 24))
  const traits: Record<string, unknown> = {
    email: `${letter}${String.fromCharCode(120 - (i % 3))}${i}@example.com`,
    ...(i % 4 === 0
      ? { firstName: `${letter.toUpperCase()}rin${i}`, lastName: 'Zed' }
      : { name: `${letter.toUpperCase()}nna${i} Quill` }),
    ...(i % 3 !== 0 ? { lifetimeValue: (i * 37) % 11 === 0 ? 500 : ((i * 37) % 11) * 1000 } : {}),
    ...(i % 5 !== 0 ? { churnRisk: (i * 13) % 7 } : {}),
    plan: i % 2 ? 'pro' : 'free',
  }
  return { userId: `p${i}`, traits, first: T0 + i * 3 * DAY, last: T0 + ((i * 5) % 24) * DAY }
})

async function seed(t: App) {
  const batch: unknown[] = []
  for (const [i, p] of people.entries()) {
    batch.push({
      type: 'identify',
      userId: p.userId,
      traits: p.traits,
      timestamp: new Date(p.first).toISOString(),
    })
    batch.push({
      type: 'page',
      userId: p.userId,
      name: 'Pricing',
      properties: { path: '/pricing' },
      timestamp: new Date(Math.max(p.first, p.last) + 1000).toISOString(),
    })
    if (i % 2) batch.push({ type: 'track', userId: p.userId, event: 'Demo Requested' })
  }
  const res = await t.post('/v1/batch', { batch })
  expect(res.status).toBe(200)
  // Computed traits come from lifecycle events; here they are set as they would be stored.
  for (const p of people)
    await t.store.sql`update contacts set traits = traits || ${t.store.sql.json({
      ...(p.traits.lifetimeValue !== undefined ? { lifetimeValue: p.traits.lifetimeValue } : {}),
      ...(p.traits.churnRisk !== undefined ? { churnRisk: p.traits.churnRisk } : {}),
    } as never)}
      where workspace_id = ${t.ws.id} and id = (select contact_id from identities
        where workspace_id = ${t.ws.id} and kind = 'userId' and value = ${p.userId})`
}

const idsOfPage = (html: string) => [...html.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]!)

async function apiIds(t: App, query: string): Promise<string[]> {
  const res = await t.get(`/v1/contacts?${query}`)
  expect(res.status, query).toBe(200)
  const body = (await res.json()) as { contacts: { id: string }[] }
  return body.contacts.map((c) => c.id)
}

/** An independent reading of a sort: the API's full list, ordered here in JavaScript. */
function expectedOrder(
  rows: { id: string; traits: Record<string, unknown>; firstSeen: string; lastSeen: string }[],
  scores: Map<string, number>,
  sort: ContactSort,
  asc: boolean,
): string[] {
  const num = (v: unknown) => (typeof v === 'number' ? v : -Infinity)
  const str = (v: unknown) => (typeof v === 'string' ? v : '')
  const key = (r: (typeof rows)[number]): number | string => {
    const t = r.traits
    switch (sort) {
      case 'name':
        return (
          str(t.name) ||
          `${str(t.firstName)} ${str(t.lastName)}`.trim() ||
          str(t.email)
        ).toLowerCase()
      case 'email':
        return str(t.email).toLowerCase()
      case 'lifetimeValue':
        return num(t.lifetimeValue)
      case 'churnRisk':
        return num(t.churnRisk)
      case 'firstSeen':
        return Date.parse(r.firstSeen)
      case 'lastSeen':
        return Date.parse(r.lastSeen)
      default:
        return scores.get(r.id)!
    }
  }
  const sorted = [...rows].sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    const c = ka < kb ? -1 : ka > kb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
    return asc ? c : -c
  })
  return sorted.map((r) => r.id)
}

describe.each(BACKENDS)('contacts list sorts, and the API lists what the page shows (%s)', (b) => {
  let store: TestStore
  let t: App
  let owner: ReturnType<typeof dashboardClient>
  beforeAll(async () => {
    store = await openTestStore(b)
    t = await createTestApp(store)
    await seed(t)
    owner = dashboardClient(t.app)
    expect((await owner.signIn(t.ws.secretKey)).status).toBe(303)
  })
  afterAll(() => store.close())

  it('sorts by every sortable column both ways, as an independent ordering of the data does', async () => {
    const all = (await (await t.get('/v1/contacts?limit=100')).json()) as {
      contacts: {
        id: string
        traits: Record<string, unknown>
        firstSeen: string
        lastSeen: string
        score: { total: number }
      }[]
    }
    expect(all.contacts).toHaveLength(people.length)
    const scores = new Map(all.contacts.map((c) => [c.id, c.score.total]))
    for (const sort of CONTACT_SORTS) {
      for (const asc of [false, true]) {
        const q = `sort=${sort}${asc ? '-asc' : ''}`
        const html = await (await owner.get(`/app/contacts?${q}`)).text()
        const page = idsOfPage(html)
        // Score ties are broken by id in the page and the API alike; the independent
        // ordering only checks the scores are in order there.
        if (sort === 'score' || sort === 'grade') {
          const s = page.map((id) => scores.get(id)!)
          const ordered = [...s].sort((x, y) => (asc ? x - y : y - x))
          expect(s, q).toEqual(ordered)
        } else expect(page, q).toEqual(expectedOrder(all.contacts, scores, sort, asc))
        expect(await apiIds(t, `${q}&limit=50`), q).toEqual(page)
        // The active column says so to screen readers.
        expect(html).toMatch(
          new RegExp(
            `aria-sort="${asc ? 'ascending' : 'descending'}"><a href="[^"]*" id="sort-${sort}"`,
          ),
        )
      }
    }
  })

  it('pages through every order with keyset cursors that neither skip nor repeat', async () => {
    for (const sort of ['name', 'lifetimeValue-asc', 'firstSeen', 'score-asc'] as const) {
      const seen: string[] = []
      let cursor = ''
      for (let i = 0; i < 10; i++) {
        const res = (await (
          await t.get(`/v1/contacts?sort=${sort}&limit=7${cursor ? `&cursor=${cursor}` : ''}`)
        ).json()) as { contacts: { id: string }[]; next: string | null }
        seen.push(...res.contacts.map((c) => c.id))
        if (!res.next) break
        cursor = res.next
      }
      expect(seen, sort).toEqual(await apiIds(t, `sort=${sort}&limit=100`))
      expect(new Set(seen).size).toBe(people.length)
    }
  })

  it('filters through the API exactly as the page does', async () => {
    const queries = [
      'q=anna&sort=name-asc',
      'grade=cold&sort=lastSeen',
      'ltvMin=2000&sort=lifetimeValue',
      'churnMin=3&sort=churnRisk-asc',
      'trait=plan&value=PRO&sort=email-asc',
      'seen=-30&sort=firstSeen',
      'scoreMin=1&sort=score',
    ]
    for (const q of queries) {
      const page = idsOfPage(await (await owner.get(`/app/contacts?${q}`)).text())
      expect(await apiIds(t, `${q}&limit=50`), q).toEqual(page)
    }
    // Not vacuous: the filters keep some contacts and drop others.
    expect((await apiIds(t, 'ltvMin=2000&sort=name')).length).toBeGreaterThan(0)
    expect((await apiIds(t, 'ltvMin=2000&sort=name')).length).toBeLessThan(people.length)
    // A bad value is a 400 naming the field; a dashboard filter with trait.<name> is refused.
    const bad = await t.get('/v1/contacts?ltvMin=lots')
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('ltvMin')
    expect((await t.get('/v1/contacts?q=a&trait.plan=pro')).status).toBe(400)
    expect((await t.get('/v1/contacts?sort=colour')).status).toBe(400)
  })
})

describe('contacts list orders', () => {
  let store: TestStore
  beforeAll(async () => {
    store = await openTestStore('postgres')
  })
  afterAll(() => store.close())

  it('walks an index for every order (PostgreSQL)', async () => {
    const sql = store.sql
    const ws = await store.createWorkspace({ name: 'Orders' })
    for (const sort of CONTACT_SORTS) {
      const { expr, dir } = contactsOrdering(sql, { sort })
      const plan = await sql.begin(async (tx) => {
        await tx`set local enable_seqscan = off`
        await tx`set local enable_sort = off`
        return tx`explain select c.id from contacts c
          where c.workspace_id = ${ws.id} and c.merged_into is null
          order by ${expr} ${dir}, c.id ${dir} limit 10`
      })
      const text = plan.map((r) => Object.values(r)[0]).join('\n')
      expect(text, sort).toMatch(/Index (Only )?Scan( Backward)? using contacts_/)
      // No full sort (last seen's older index leaves the id tie-break to an incremental sort).
      expect(text, sort).not.toMatch(/(^|->\s+)Sort\s+\(/m)
    }
  })
})

describe('add to a list, lifetime value in its currency, language kept on the user', () => {
  let store: TestStore
  let t: App
  let owner: ReturnType<typeof dashboardClient>
  beforeAll(async () => {
    store = await openTestStore('pglite')
    t = await createTestApp(store)
    await seed(t)
    owner = dashboardClient(t.app)
    await owner.signIn(t.ws.secretKey)
  })
  afterAll(() => store.close())

  const members = async (listId: string) =>
    (
      (await (await t.get(`/v1/lists/${listId}/members?limit=1000`)).json()) as {
        contacts: { id: string }[]
      }
    ).contacts
      .map((c) => c.id)
      .sort()

  it('adds the ticked contacts to a new list, then every contact matching the filters', async () => {
    const html = await (await owner.get('/app/contacts?sort=name-asc')).text()
    expect(html).toContain('id="add-to-list"')
    const ticked = idsOfPage(html).slice(0, 3)
    const csrf = owner.hidden(html, '_csrf')
    const body = new URLSearchParams({ _csrf: csrf, query: 'sort=name-asc', newList: 'Webinar' })
    for (const id of ticked) body.append('ids', id)
    const res = await t.app.request('http://localhost/app/contacts/add-to-list', {
      method: 'POST',
      headers: {
        cookie: [...owner.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: body.toString(),
    })
    expect(res.status).toBe(303)
    const back = res.headers.get('location')!
    expect(back).toMatch(/^\/app\/contacts\?sort=name-asc&added=3&already=0&list=/)
    const listId = new URL(back, 'http://x').searchParams.get('list')!
    expect(await members(listId)).toEqual([...ticked].sort())
    const notice = await (await owner.get(back)).text()
    expect(notice).toContain('3 contacts added to “Webinar” (0 were already in it).')
    expect(notice).toContain(`href="/app/contacts?segment=${listId}"`)

    // All matching a filter: the same contacts the API lists for it, the ticked ones kept once.
    const filter = 'trait=plan&value=pro'
    const expected = await apiIds(t, `${filter}&limit=100`)
    expect(expected.length).toBeGreaterThan(3)
    const all = await owner.post('/app/contacts/add-to-list', {
      _csrf: csrf,
      query: filter,
      scope: 'all',
      list: listId,
    })
    expect(all.status).toBe(303)
    const added = new URL(all.headers.get('location')!, 'http://x').searchParams
    const union = new Set([...ticked, ...expected])
    expect(await members(listId)).toEqual([...union].sort())
    expect(Number(added.get('added')) + Number(added.get('already'))).toBe(expected.length)
    // The list filter of the page shows exactly the members.
    const listed = idsOfPage(await (await owner.get(`/app/contacts?segment=${listId}`)).text())
    expect(listed.sort()).toEqual([...union].sort())

    // Nothing ticked and no list: nothing happens, and the page says why.
    const nothing = await owner.post('/app/contacts/add-to-list', { _csrf: csrf, query: '' })
    expect(nothing.headers.get('location')).toBe('/app/contacts?bulk=nothing')
    expect(await (await owner.get('/app/contacts?bulk=nothing')).text()).toContain('Nothing added')
  })

  it('lets marketers add to a list, not viewers', async () => {
    const ids = idsOfPage(await (await owner.get('/app/contacts')).text()).slice(0, 1)
    const list = (await (
      await t.app.request('/v1/lists', {
        method: 'POST',
        headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Roles' }),
      })
    ).json()) as { id: string }
    for (const role of ['viewer', 'marketer'] as const) {
      const c = dashboardClient(t.app)
      expect((await c.signIn(t.ws.secretKey, role)).status).toBe(303)
      const html = await (await c.get('/app/contacts')).text()
      expect(html.includes('id="add-to-list"'), role).toBe(role === 'marketer')
      expect(html).not.toContain('id="erase"')
      const res = await c.post('/app/contacts/add-to-list', {
        _csrf: await c.csrf(),
        ids: ids[0]!,
        list: list.id,
      })
      expect(res.status, role).toBe(role === 'marketer' ? 303 : 403)
      expect(await members(list.id)).toEqual(role === 'marketer' ? ids : [])
    }
  })

  it('shows lifetime value in the reporting currency, else the currency of the contact’s orders (no cents from 1,000 up)', async () => {
    const valued = people.find((p) => p.traits.lifetimeValue === 5000)!
    await t.app.request('/v1/track', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        userId: valued.userId,
        event: 'Order Completed',
        properties: { orderId: 'o-1', revenue: 10, currency: 'EUR' },
      }),
    })
    await t.store.sql`update contacts set traits = traits || '{"lifetimeValue": 5000}'::jsonb
      where workspace_id = ${t.ws.id} and traits ->> 'email' = ${valued.traits.email as string}`
    const cell = async () => {
      const html = await (await owner.get(`/app/contacts?q=${valued.traits.email}`)).text()
      return /<td class="num ltv">([^<]*)<\/td>/.exec(html)?.[1]
    }
    expect(await cell()).toBe('€5,000')
    const patch = await t.app.request('/v1/lifecycle/traits-config', {
      method: 'PATCH',
      headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ currency: 'CNY' }),
    })
    expect(patch.status).toBe(200)
    await t.store.sql`update contacts set traits = traits || '{"lifetimeValue": 120000000}'::jsonb
      where workspace_id = ${t.ws.id} and traits ->> 'email' = ${valued.traits.email as string}`
    expect(await cell()).toBe('CN¥120,000,000')
  })

  it('keeps the language a person picks on their user, for every device they sign in on', async () => {
    const a = dashboardClient(t.app)
    const signed = await a.signIn(t.ws.secretKey, 'marketer')
    const page = async (c: ReturnType<typeof dashboardClient>, lang: string) =>
      (
        await t.app.request('http://localhost/app/contacts', {
          headers: {
            cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; '),
            'accept-language': lang,
          },
        })
      ).text()
    // Never chose: the browser's language, whichever it is.
    expect(await page(a, 'zh-CN,zh;q=0.9')).toContain('<html lang="zh-CN">')
    expect(await page(a, 'en-GB')).toContain('<html lang="en">')
    // Picks 简体中文 on this browser…
    expect((await a.get('/app/lang?to=zh-CN&next=%2Fapp')).status).toBe(303)
    const [row] = await t.store.sql`select locale from users where lower(email) = ${signed.email}`
    expect(row?.locale).toBe('zh-CN')
    // …and another browser (no language cookie, English Accept-Language) follows after sign-in.
    const b = dashboardClient(t.app)
    expect((await b.signInWith(signed.email, signed.password)).status).toBe(303)
    expect(b.jar.has('lodestone_lang')).toBe(false)
    const there = await page(b, 'en-US,en;q=0.9')
    expect(there).toContain('<html lang="zh-CN">')
    expect(there).toContain('加入列表')
    // Switching back there follows them home too; other people keep their browser's language.
    await b.get('/app/lang?to=en&next=%2Fapp')
    expect(await page(a, 'zh-CN')).toContain('<html lang="en">')
    expect(await page(owner, 'zh-CN')).toContain('<html lang="zh-CN">')
  })
})
