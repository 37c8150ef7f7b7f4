import fc from 'fast-check'
import { expect } from 'vitest'
import type { TestStore } from './stores.js'
import { createTestApp } from './app.js'
import { dashboardClient } from './dashboard.js'
import { hostileString, percentEncode, recordFailure, ROUTE_FUZZ_SEED as SEED } from './hostile.js'
import { formsOf, type PageForm } from './page-forms.js'
import { newTally, type Tally } from './api-contract.js'
import { FILTER_KEYS } from '../dashboard/contacts-query.js'

// The dashboard's fuzz campaigns' shared ground (dashboard/dashboard.fuzz.test.ts as the owner,
// dashboard/dashboard-roles.fuzz.test.ts as a marketer and a viewer): a workspace with real ids,
// a signed-in owner, the routes and pages read from the app, the arbitraries, and the senders
// that hold every answer to the dashboard's contract (below 500; a redirect stays in the app;
// anything else is HTML).

export type Client = ReturnType<typeof dashboardClient>

export interface DashboardCampaign {
  store: TestStore
  t: Awaited<ReturnType<typeof createTestApp>>
  /** Signed in as the workspace's owner; `csrf` is its form token. */
  owner: Client
  csrf: string
  /** POST routes under /app/, and GET pages under /app. */
  routes: string[]
  pages: string[]
  /** Real ids, so some requests get past "not found": a member, a key, a segment, a contact. */
  ids: string[]
  tally: Tally
}

/** Opens the store, signs the owner in and seeds the ids. */
export async function openDashboardCampaign(store: TestStore): Promise<DashboardCampaign> {
  const t = await createTestApp(store)
  const owner = dashboardClient(t.app)
  expect((await owner.signIn(t.ws.secretKey)).status).toBe(303)
  const csrf = await owner.csrf()
  expect(csrf).not.toBe('')
  const routes: string[] = []
  const pages: string[] = []
  for (const r of t.app.routes)
    if (r.method === 'POST' && r.path.startsWith('/app/') && !routes.includes(r.path))
      routes.push(r.path)
    else if (r.method === 'GET' && r.path.startsWith('/app') && !pages.includes(r.path))
      pages.push(r.path)
  const secret = (path: string, body: unknown) =>
    t.app.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const ids: string[] = []
  const member = await secret('/v1/users', { email: 'marketer@example.com', role: 'marketer' })
  expect(member.status).toBe(201)
  const [user] = await store.sql`select id from users where email = 'marketer@example.com'`
  ids.push(String(user!.id))
  const key = await secret('/v1/keys', { name: 'Fuzzed', scopes: ['read'] })
  ids.push(((await key.json()) as { id: string }).id)
  const seg = await secret('/v1/segments', { name: 'Pro', conditions: { traits: { plan: 'pro' } } })
  ids.push(((await seg.json()) as { id: string }).id)
  await t.post('/v1/identify', { userId: 'ada', traits: { email: 'ada@example.com' } })
  const [contact] = await store.sql`select id from contacts limit 1`
  ids.push(String(contact!.id))
  return { store, t, owner, csrf, routes, pages, ids, tally: newTally() }
}

/** The campaign's summary line: how many requests, answered with which statuses. */
export const tallyLine = (c: DashboardCampaign) =>
  `${c.tally.requests} requests, statuses ${JSON.stringify(
    Object.fromEntries([...c.tally.statuses].sort((a, b) => a[0] - b[0])),
  )}`

const cookieOf = (client: Client) => [...client.jar].map(([k, v]) => `${k}=${v}`).join('; ')

/** A route with its `:params` filled: a number picks one of the real ids, text goes as it is. */
export function withParams(route: string, params: (string | number)[], ids: string[]) {
  let i = 0
  return route.replace(/:\w+/g, () => {
    const p = params[i++]!
    return typeof p === 'number' ? ids[p]! : p
  })
}

/** Posts one form and checks the contract: < 500; a redirect stays in the app, else HTML. */
export async function sendForm(
  c: DashboardCampaign,
  path: string,
  body: string,
  contentType: string | undefined,
  client: Client = c.owner,
) {
  c.tally.requests++
  const headers = new Headers({ cookie: cookieOf(client) })
  if (contentType !== undefined) headers.set('content-type', contentType)
  const res = await c.t.app.request(`http://localhost${path}`, { method: 'POST', headers, body })
  c.tally.statuses.set(res.status, (c.tally.statuses.get(res.status) ?? 0) + 1)
  const text = await res.text()
  const label = `POST ${path.slice(0, 200)} ${body.slice(0, 200)} → ${res.status} ${text.slice(0, 300)}`
  expect(res.status, label).toBeLessThan(500)
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location') ?? ''
    expect(location, label).toMatch(/^\/(?![/\\])/)
  } else expect(res.headers.get('content-type') ?? '', label).toContain('text/html')
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  return res
}

/** Gets one page as the owner and checks the contract: < 500; a redirect stays in the app; errors are HTML. */
export async function getPage(c: DashboardCampaign, path: string) {
  c.tally.requests++
  const res = await c.t.app.request(`http://localhost${path}`, {
    headers: { cookie: cookieOf(c.owner) },
  })
  c.tally.statuses.set(res.status, (c.tally.statuses.get(res.status) ?? 0) + 1)
  const type = res.headers.get('content-type') ?? ''
  const text = type.includes('event-stream') ? (await res.body?.cancel(), '') : await res.text()
  const label = `GET ${path.slice(0, 300)} → ${res.status} ${text.slice(0, 300)}`
  expect(res.status, label).toBeLessThan(500)
  if (res.status >= 300 && res.status < 400)
    expect(res.headers.get('location') ?? '', label).toMatch(/^\/(?![/\\])/)
  else if (res.status >= 400) expect(type, label).toContain('text/html')
  return { status: res.status, text }
}

export const FIELDS = [
  'name',
  'email',
  'password',
  'role',
  'scope',
  'scopes',
  'rules',
  'version',
  'query',
]
  .concat(['ids', 'list', 'newList', 'confirm', 'timeZone', 'file', 'next', 'back', 'from', 'to'])
  .concat(['period', 'show', 'op', 'addKind', 'browser', 'key', 'kind', 'match', 'segment', 'id'])
  .concat(['halfLifeDays', 'gradeCount', 'ruleCount', 'g0.name', 'g0.min', 'r0.kind', 'r0.points'])
  .concat(['r0.t0.op', 'r0.t0.name', 'r0.t0.value', 'c0.name', 'c0.op', 'c0.value', 'c1.url'])
  .concat(['__proto__', 'constructor', 'campaign', 'cost', 'day', 'inline', 'fixture', 'filters'])

export const fieldValue = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  fc.constantFrom('', '-1', '0', '1e309', 'NaN', '-0', '99999999999999999999', 'owner', 'admin'),
  fc.constantFrom('viewer', 'read', 'write', 'admin,read', 'x'.repeat(200_000)),
  fc.constantFrom('{', '[]', 'null', '{"__proto__":{"polluted":1}}', '{"rules":[{}]}'),
  fc.constantFrom('//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:1'),
  fc.constantFrom('2024-02-30', '9999-99-99', 'campaign,day,cost\n"a,1,x', '\u0000'),
)

/** A form body with repeated and hostile field names; every byte percent-encoded. */
export const formArb = fc
  .array(
    fc.tuple(
      fc.oneof({ arbitrary: fc.constantFrom(...FIELDS), weight: 4 }, hostileString),
      fieldValue,
    ),
    { maxLength: 8 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`))

export const paramArb = fc.oneof(
  { arbitrary: fc.constantFrom(...['0', '1', '2', '3'].map(Number)), weight: 3 },
  fc.uuid(),
  fc.constantFrom(
    '..%2F..%2Fapp',
    '%00',
    'x'.repeat(5_000),
    '-1',
    '1e309',
    '__proto__',
    '%ED%A0%80',
  ),
  hostileString.filter((s) => s.length > 0 && s.length < 500).map(percentEncode),
)

export const contentTypeArb = fc.oneof(
  { arbitrary: fc.constant('application/x-www-form-urlencoded'), weight: 6 },
  fc.constantFrom(
    'multipart/form-data; boundary=x',
    'multipart/form-data',
    'application/json',
    'text/plain',
    '',
    undefined,
  ),
)

/** The contacts page's filters (dashboard/contacts-query.ts), then every other page's keys. */
export const QUERY_KEYS = ([...FILTER_KEYS] as string[])
  .concat(['from', 'to', 'period', 'show', 'groupBy', 'attribution', 'conversion', 'actor'])
  .concat(['action', 'cursor', 'next', 'limit', 'page', 'saved', 'bulk', 'added', 'erased', 'list'])
  .concat(['c0.kind', 'c0.name', 'c0.op', 'c0.value', 'match', 'lang', 'code', 'state', 'error'])
  .concat(['__proto__', 'constructor', 'trait.__proto__'])

/** A query string with repeated and hostile keys; every byte percent-encoded. */
export const queryArb = fc
  .array(
    fc.tuple(
      fc.oneof({ arbitrary: fc.constantFrom(...QUERY_KEYS), weight: 4 }, hostileString),
      fieldValue,
    ),
    { maxLength: 6 },
  )
  .map((pairs) =>
    pairs.length
      ? '?' +
        pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v.slice(0, 3000))}`).join('&')
      : '',
  )

/** Pages whose forms are posted with one field changed at a time. */
export const FORM_PAGES = (ids: string[]) => [
  '/app/rules',
  '/app/segments/new',
  `/app/segments/${ids[2]}`,
  `/app/segments/${ids[2]}/edit`,
  '/app/settings',
  '/app/campaigns',
  '/app/team',
  `/app/team/${ids[0]}`,
  '/app/keys',
  '/app/contacts',
  `/app/contacts/${ids[3]}`,
  '/app/quality',
  '/app/alerts',
  '/app/setup',
  '/app/account',
]

const ownerForms = new WeakMap<DashboardCampaign, PageForm[]>()

/**
 * The forms the owner's pages offer (the owner sees every one), read once, before the campaign
 * below deletes what some of them name; signing out and revoking sessions left out.
 */
export async function pageForms(c: DashboardCampaign): Promise<PageForm[]> {
  const known = ownerForms.get(c)
  if (known) return known
  const forms: PageForm[] = []
  for (const page of FORM_PAGES(c.ids)) {
    const res = await c.owner.get(page)
    expect(res.status, page).toBe(200)
    for (const f of formsOf(await res.text()))
      if (!f.action.endsWith('/logout') && !f.action.includes('/revoke')) forms.push(f)
  }
  expect(forms.length).toBeGreaterThan(10)
  // Deleting and removing last: the other forms still find what they change.
  forms.sort(
    (a, b) =>
      Number(/\/(delete|remove)$/.test(a.action)) - Number(/\/(delete|remove)$/.test(b.action)),
  )
  ownerForms.set(c, forms)
  return forms
}

/**
 * Posts `form` as `client` (with its CSRF token) with one field hostile, replaced, dropped,
 * repeated or added, `numRuns` times; `check` sees each answer. Failures are collected.
 */
export async function fuzzForm(
  c: DashboardCampaign,
  form: PageForm,
  client: Client,
  token: string,
  numRuns: number,
  failures: string[],
  check: (res: Response) => void = () => {},
) {
  const run = fc.assert(
    fc.asyncProperty(
      fc.nat(),
      fc.nat(),
      fc.constantFrom('replace', 'replace', 'replace', 'drop', 'repeat', 'add'),
      fc.oneof({ arbitrary: fc.constantFrom(...FIELDS), weight: 1 }, hostileString),
      fieldValue,
      async (at, button, how, extra, value) => {
        const fields = form.fields.filter(([k]) => k !== '_csrf')
        if (form.buttons.length) fields.push(form.buttons[button % form.buttons.length]!)
        const i = fields.length ? at % fields.length : 0
        if (how === 'add' || !fields.length) fields.push([extra, value])
        else if (how === 'drop') fields.splice(i, 1)
        else if (how === 'repeat') fields.push([fields[i]![0], value])
        else fields[i] = [fields[i]![0], value]
        const body = [['_csrf', token], ...fields]
          .map(([k, v]) => `${percentEncode(k!)}=${percentEncode(v!)}`)
          .join('&')
        check(await sendForm(c, form.action, body, 'application/x-www-form-urlencoded', client))
      },
    ),
    { numRuns, seed: SEED, endOnFailure: true },
  )
  await recordFailure(form.action, run, failures)
}

/**
 * Posts garbage forms to `route` as `client`: hostile path parameters (or real ids), repeated and
 * hostile fields, a CSRF token usually right, any content type; `check` sees each answer.
 */
export async function fuzzRoute(
  c: DashboardCampaign,
  route: string,
  client: Client,
  token: string,
  numRuns: number,
  failures: string[],
  check: (res: Response) => void = () => {},
) {
  const run = fc.assert(
    fc.asyncProperty(
      fc.array(paramArb, { minLength: 2, maxLength: 2 }),
      formArb,
      fc.oneof({ arbitrary: fc.constant(token), weight: 8 }, hostileString),
      contentTypeArb,
      async (params, fields, sent, contentType) => {
        const path = withParams(route, params, c.ids)
        const body = [`_csrf=${percentEncode(sent)}`, ...fields].join('&')
        check(await sendForm(c, path, body, contentType, client))
      },
    ),
    { numRuns, seed: SEED, endOnFailure: true },
  )
  await recordFailure(route, run, failures)
}
