import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, type TestStore } from '../../packages/collector/src/test-support/stores.js'
import { createTestApp } from '../../packages/collector/src/test-support/app.js'
import {
  hostileJson,
  hostileString,
  percentEncode,
  prototypeFingerprint,
  runs,
  safeString,
} from '../../packages/collector/src/test-support/hostile.js'
import { expectJsonContract, type Tally } from '../support/contract.js'

// Hostile query parameters, path ids, cursors and admin bodies against the read and admin API
// (secret key), on a real PostgreSQL server: every answer is a 200/201 or a JSON 4xx, never a 500.

let store: TestStore
let t: Awaited<ReturnType<typeof createTestApp>>
const tally: Tally = { cases: 0, statuses: new Map() }
const before = prototypeFingerprint()
let cursors: string[] = []
let contactIds: string[] = []

beforeAll(async () => {
  store = await openTestStore('postgres')
  t = await createTestApp(store)
  const batch = Array.from({ length: 12 }, (_, i) => ({
    type: 'identify',
    userId: `u-${i}`,
    anonymousId: `a-${i}`,
    traits: { email: `p${i}@example.com`, company: i % 2 ? 'Acme' : 'Initech' },
    messageId: `seed-${i}`,
  }))
  const res = await t.post('/v1/batch', { batch })
  expect(res.status).toBe(200)
  const page = await (await t.get('/v1/contacts?limit=5')).json()
  contactIds = page.contacts.map((c: { id: string }) => c.id)
  cursors = [page.next]
  const events = await (await t.get(`/v1/contacts/${contactIds[0]}/events?limit=1`)).json()
  if (events.next) cursors.push(events.next)
})
afterAll(async () => {
  console.log(
    `[fuzz] read API: ${tally.cases} cases, statuses ${JSON.stringify(Object.fromEntries(tally.statuses))}`,
  )
  await store?.close()
})

const auth = () => ({ authorization: `Bearer ${t.ws.secretKey}` })

/** A cursor a client might forge: garbage, base64 of hostile JSON, a real one bent out of shape. */
const cursorArb = fc.oneof(
  hostileString,
  hostileJson.map((v) => Buffer.from(JSON.stringify(v) ?? 'x').toString('base64url')),
  fc
    .tuple(fc.constantFrom(0, 1), hostileJson)
    .map(([i, v]) => Buffer.from(JSON.stringify([v, v].slice(0, i + 1))).toString('base64url')),
  fc.tuple(fc.nat(40), fc.constantFrom('A', '_', '-', '=', '%', '\u00ff')).map(([at, ch]) => {
    const c = cursors[at % cursors.length] ?? 'x'
    return c.slice(0, at) + ch + c.slice(at + 1)
  }),
)

/** A path segment naming a contact: real ids, kind:value refs, hostile text, raw percent junk. */
const refArb = fc.oneof(
  fc.constantFrom(...['00000000-0000-0000-0000-000000000000', 'email:p1@example.com']),
  fc.nat(11).map((i) => contactIds[i % Math.max(contactIds.length, 1)] ?? 'x'),
  safeString.map((s) => encodeURIComponent(s)),
  fc
    .tuple(fc.constantFrom('email', 'userId', 'anonymousId', 'kind', '', '__proto__'), safeString)
    .map(([k, v]) => encodeURIComponent(`${k}:${v}`)),
  fc.constantFrom('%ZZ', '%', '%E0%A4%A', '%00', '%ED%A0%80', '..%2F..%2Fetc', '%2F', '%25'),
)

const queryValue = fc.oneof(
  safeString,
  fc.constantFrom('0', '-1', '1.5', '1e3', '1001', '99999999999999999999', 'NaN', '[]', ''),
)
const queryKey = fc.oneof(
  fc.constantFrom('sort', 'limit', 'cursor', 'email', 'userId', 'anonymousId', 'kind', 'value'),
  safeString.map((s) => `trait.${s}`),
  fc.constantFrom('trait.__proto__', 'trait.constructor', 'trait.', '__proto__'),
  safeString,
)
const queryArb = fc
  .array(fc.tuple(queryKey, fc.oneof(queryValue, cursorArb)), { maxLength: 5 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${percentEncode(v)}`).join('&'))
/** Query strings as a client types them, percent-encoding broken or missing. */
const rawQueryArb = fc.constantFrom(
  'limit=%ZZ',
  'cursor=%',
  'email=%E0%A4%A',
  'sort=score&sort=lastSeen&limit=1&limit=2',
  'trait.%00=x',
  'email',
  '&&&=&=',
)

const getRequestArb = fc.oneof(
  fc.tuple(fc.oneof(queryArb, rawQueryArb)).map(([q]) => `/v1/contacts?${q}`),
  fc.tuple(fc.oneof(queryArb, rawQueryArb)).map(([q]) => `/v1/contacts/lookup?${q}`),
  fc.tuple(refArb).map(([r]) => `/v1/contacts/${r}`),
  fc.tuple(refArb, queryArb).map(([r, q]) => `/v1/contacts/${r}/events?${q}`),
  fc.tuple(refArb).map(([r]) => `/v1/contacts/${r}/export`),
  fc.tuple(refArb, queryArb).map(([r, q]) => `/v1/webhooks/${r}/deliveries?${q}`),
  fc.constantFrom('/v1/webhooks', '/v1/scoring/rules'),
)

async function request(path: string, init: RequestInit = {}) {
  const res = await t.app.request(path, { ...init, headers: { ...auth(), ...init.headers } })
  await expectJsonContract(res, tally)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  return res
}

describe('read API under hostile query parameters and ids', () => {
  it('GET routes answer 200 or a JSON 4xx, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(getRequestArb, async (path) => {
        await request(path)
      }),
      { numRuns: runs(600) },
    )
    expect(prototypeFingerprint()).toBe(before)
  })

  it('every GET route of the app (read from app.routes) takes hostile params and queries', async () => {
    const reads = [
      ...new Set(
        t.app.routes
          .filter((r) => r.method === 'GET' && r.path.startsWith('/v1/') && r.path !== '/v1/stream')
          .map((r) => r.path),
      ),
    ]
    expect(reads.length).toBeGreaterThan(5)
    const paramQueryKey = fc.oneof(
      queryKey,
      fc.constantFrom('from', 'to', 'period', 'since', 'until', 'days', 'format', 'grade', 'q'),
    )
    const query = fc
      .array(fc.tuple(paramQueryKey, fc.oneof(queryValue, cursorArb)), { maxLength: 4 })
      .map((pairs) =>
        pairs.map(([k, v]) => `${encodeURIComponent(k)}=${percentEncode(v)}`).join('&'),
      )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...reads), refArb, query, async (pattern, ref, q) => {
        await request(`${pattern.replace(/:[A-Za-z_]\w*/g, ref)}?${q}`)
      }),
      { numRuns: runs(300) },
    )
  })

  it('DELETE routes with hostile ids answer 200 or a JSON 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          refArb.map((r) => `/v1/contacts/${r}`),
          refArb.map((r) => `/v1/webhooks/${r}`),
        ),
        async (path) => {
          await request(path, { method: 'DELETE' })
        },
      ),
      { numRuns: runs(150) },
    )
  })

  it('admin bodies (webhooks, scoring rules) answer 200/201 or a JSON 4xx', async () => {
    const bodyArb = fc.oneof(
      hostileString,
      hostileJson.map((v) => JSON.stringify(v) ?? 'null'),
      fc
        .record({ url: fc.oneof(safeString, fc.webUrl()), events: hostileJson })
        .map((v) => JSON.stringify(v)),
      fc
        .record({ rules: hostileJson, grades: hostileJson, version: hostileJson })
        .map((v) => JSON.stringify(v)),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          ['POST', '/v1/webhooks'],
          ['PUT', '/v1/scoring/rules'],
          ['POST', '/v1/scoring/rescore'],
        ),
        bodyArb,
        fc.constantFrom('application/json', 'text/plain', ''),
        async ([method, path], body, type) => {
          await request(path!, { method, body, headers: type ? { 'content-type': type } : {} })
        },
      ),
      { numRuns: runs(200) },
    )
    expect(prototypeFingerprint()).toBe(before)
  })

  it('a forged cursor is a 400, a real one pages on', async () => {
    const res = await request(`/v1/contacts?limit=5&cursor=${encodeURIComponent(cursors[0]!)}`)
    expect(res.status).toBe(200)
    const bad = await request(`/v1/contacts?cursor=${encodeURIComponent('W1tdXQ')}`)
    expect(bad.status).toBe(400)
    // The DELETE property may have erased the seeded contacts: make one to page through.
    await t.post('/v1/track', { event: 'Cursor', userId: 'cursor-user', messageId: 'cursor-1' })
    const live = await (await t.get('/v1/contacts/userId:cursor-user')).json()
    // Right shape, impossible timestamp: postgres.js would throw a RangeError serialising it.
    for (const keys of [
      ['', ''],
      ['x', '1'],
      ['2024-13-45', '1'],
    ]) {
      const forged = Buffer.from(JSON.stringify(keys)).toString('base64url')
      expect((await request(`/v1/contacts?cursor=${forged}`)).status).toBe(400)
      const events = await request(`/v1/contacts/${live.id}/events?cursor=${forged}`)
      expect(events.status).toBe(400)
    }
  })
})
