import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import {
  hostileString,
  percentEncode,
  prototypeFingerprint,
  ROUTE_FUZZ_SEED,
  runs,
  safeString,
} from '../test-support/hostile.js'
import {
  forgedCursor,
  newTally,
  rawQueryArb,
  sendHeldToContract,
} from '../test-support/api-contract.js'

// The read API's own inputs, deeper than the route-wide campaign of api.fuzz.test.ts, always on a
// real PostgreSQL server (its type checks found the NUL and cursor 500s, docs/reliability.md).
// Every answer is a JSON 2xx or a JSON 4xx.

const SEED = ROUTE_FUZZ_SEED
const before = prototypeFingerprint()
const tally = newTally()

describe('read API under hostile contact refs, cursors and query strings (PostgreSQL)', () => {
  let pg: TestStore
  let read: Awaited<ReturnType<typeof createTestApp>>
  let cursors: string[] = []
  let contactIds: string[] = []

  beforeAll(async () => {
    pg = await openTestStore('postgres')
    read = await createTestApp(pg)
    const batch = Array.from({ length: 12 }, (_, i) => ({
      type: 'identify',
      userId: `u-${i}`,
      anonymousId: `a-${i}`,
      traits: { email: `p${i}@example.com`, company: i % 2 ? 'Acme' : 'Initech' },
      messageId: `seed-${i}`,
    }))
    expect((await read.post('/v1/batch', { batch })).status).toBe(200)
    const page = await (await read.get('/v1/contacts?limit=5')).json()
    contactIds = page.contacts.map((c: { id: string }) => c.id)
    cursors = [page.next]
    const events = await (await read.get(`/v1/contacts/${contactIds[0]}/events?limit=1`)).json()
    if (events.next) cursors.push(events.next)
  })
  afterAll(async () => {
    console.log(`[fuzz] read api: ${tally.requests} requests`)
    await pg?.close()
  })

  /** One request with the secret key, held to the JSON contract (2xx included). */
  const request = async (path: string, method = 'GET', body?: string) => {
    const headers = new Headers({ authorization: `Bearer ${read.ws.secretKey}` })
    return sendHeldToContract(read.app, tally, method, path, { headers, body, json: true })
  }

  /** Forged cursors, and the real ones bent out of shape one character at a time. */
  const cursorArb = fc.oneof(
    hostileString,
    forgedCursor,
    fc.tuple(fc.nat(40), fc.constantFrom('A', '_', '-', '=', '%', '\u00ff')).map(([at, ch]) => {
      const c = cursors[at % cursors.length] ?? 'x'
      return c.slice(0, at) + ch + c.slice(at + 1)
    }),
  )

  /** A path segment naming a contact: real ids, kind:value refs, hostile text, percent junk. */
  const refArb = fc.oneof(
    fc.constantFrom(...['00000000-0000-0000-0000-000000000000', 'email:p1@example.com']),
    fc.nat(11).map((i) => contactIds[i % Math.max(contactIds.length, 1)] ?? 'x'),
    safeString.map((s) => encodeURIComponent(s)),
    fc
      .tuple(fc.constantFrom('email', 'userId', 'anonymousId', 'kind', '', '__proto__'), safeString)
      .map(([k, v]) => encodeURIComponent(`${k}:${v}`)),
    fc.constantFrom('%ZZ', '%', '%E0%A4%A', '%00', '%ED%A0%80', '..%2F..%2Fetc', '%2F', '%25'),
  )

  const value = fc.oneof(
    safeString,
    fc.constantFrom('0', '-1', '1.5', '1e3', '1001', '99999999999999999999', 'NaN', '[]', ''),
  )
  const key = fc.oneof(
    fc.constantFrom('sort', 'limit', 'cursor', 'email', 'userId', 'anonymousId', 'kind', 'value'),
    safeString.map((s) => `trait.${s}`),
    fc.constantFrom('trait.__proto__', 'trait.constructor', 'trait.', '__proto__'),
    safeString,
  )
  const query = fc.oneof(
    fc
      .array(fc.tuple(key, fc.oneof(value, cursorArb)), { maxLength: 5 })
      .map((pairs) =>
        pairs.map(([k, v]) => `${encodeURIComponent(k)}=${percentEncode(v)}`).join('&'),
      ),
    rawQueryArb.map((q) => q.slice(1)),
  )

  it('GET routes answer 200 or a JSON 4xx, never 500', async () => {
    const pathArb = fc.oneof(
      query.map((q) => `/v1/contacts?${q}`),
      query.map((q) => `/v1/contacts/lookup?${q}`),
      refArb.map((r) => `/v1/contacts/${r}`),
      fc.tuple(refArb, query).map(([r, q]) => `/v1/contacts/${r}/events?${q}`),
      refArb.map((r) => `/v1/contacts/${r}/export`),
      fc.tuple(refArb, query).map(([r, q]) => `/v1/webhooks/${r}/deliveries?${q}`),
      fc.constantFrom('/v1/webhooks', '/v1/scoring/rules'),
    )
    await fc.assert(
      fc.asyncProperty(pathArb, async (path) => {
        await request(path)
      }),
      { numRuns: runs(600), seed: SEED },
    )
    expect(prototypeFingerprint()).toBe(before)
  }, 120_000)

  it('DELETE of a contact or webhook by a hostile ref answers 200 or a JSON 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          refArb.map((r) => `/v1/contacts/${r}`),
          refArb.map((r) => `/v1/webhooks/${r}`),
        ),
        async (path) => {
          await request(path, 'DELETE')
        },
      ),
      { numRuns: runs(150), seed: SEED },
    )
  }, 60_000)

  it('a forged cursor is a 400, a real one pages on', async () => {
    expect(await request(`/v1/contacts?limit=5&cursor=${encodeURIComponent(cursors[0]!)}`)).toBe(
      200,
    )
    expect(await request(`/v1/contacts?cursor=${encodeURIComponent('W1tdXQ')}`)).toBe(400)
    // The DELETE property may have erased the seeded contacts: make one to page through.
    await read.post('/v1/track', { event: 'Cursor', userId: 'cursor-user', messageId: 'cursor-1' })
    const live = await (await read.get('/v1/contacts/userId:cursor-user')).json()
    // Right shape, impossible timestamp: postgres.js would throw a RangeError serialising it.
    for (const keys of [
      ['', ''],
      ['x', '1'],
      ['2024-13-45', '1'],
    ]) {
      const forged = Buffer.from(JSON.stringify(keys)).toString('base64url')
      expect(await request(`/v1/contacts?cursor=${forged}`)).toBe(400)
      expect(await request(`/v1/contacts/${live.id}/events?cursor=${forged}`)).toBe(400)
    }
  })
})
