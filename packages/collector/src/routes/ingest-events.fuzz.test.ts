import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import {
  canon,
  hostileDate,
  hostileJson,
  hostileKey,
  hostileNumber,
  hostileObject,
  hostileString,
  hostileUrl,
  prototypeFingerprint,
  runs,
  safeString,
  scrub,
  withoutProtoKeys,
} from '../test-support/hostile.js'

// Well-formed requests carrying hostile events: each event is either rejected (listed by index,
// not stored) or stored with every field the client sent intact, on every ingest route.

const TYPES = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const
const SINGLE: Record<string, string[]> = {
  track: ['track', 't'],
  page: ['page', 'p'],
  screen: ['screen', 's'],
  identify: ['identify', 'i'],
  group: ['group', 'g'],
  alias: ['alias', 'a'],
}
// Fields the collector normalises or fills in; everything else must come back byte for byte.
const NORMALISED = new Set([
  'type',
  'messageId',
  'userId',
  'anonymousId',
  'previousId',
  'groupId',
  'timestamp',
  'sentAt',
])
  .add('originalTimestamp')
  .add('context')
  .add('writeKey')
const ENRICHED_CONTEXT = new Set(['ip', 'userAgent', 'browser', 'os', 'device', 'campaign']).add(
  'referrerDomain',
)

let store: TestStore
let t: Awaited<ReturnType<typeof createTestApp>>
let seq = 0
const tally = { cases: 0, events: 0, stored: 0, rejected: 0, refused: 0 }
const before = prototypeFingerprint()

beforeAll(async () => {
  store = await openTestStore('pglite')
  t = await createTestApp(store)
})
afterAll(async () => {
  console.log(`[fuzz] ingest events: ${JSON.stringify(tally)}`)
  await store?.close()
})

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 })
const id = fc.oneof(
  { arbitrary: safeString.filter((s) => s.length > 0 && s.length < 600), weight: 4 },
  { arbitrary: hostileNumber, weight: 1 },
  { arbitrary: hostileJson, weight: 1 },
)
const wrongOr = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: arb, weight: 5 }, { arbitrary: hostileJson, weight: 1 })

const contextArb = fc.record(
  {
    page: wrongOr(fc.record({ url: hostileUrl, referrer: hostileUrl, path: hostileString })),
    traits: wrongOr(hostileObject),
    ip: wrongOr(hostileString),
    userAgent: wrongOr(hostileString),
    locale: wrongOr(hostileString),
    library: wrongOr(fc.record({ name: hostileString, version: hostileString })),
    extra: hostileJson,
  },
  { requiredKeys: [] },
)

const eventArb = fc.record({
  type: fc.constantFrom(...TYPES),
  event: wrongOr(safeString),
  name: maybe(wrongOr(safeString)),
  anonymousId: maybe(id),
  userId: maybe(id),
  groupId: maybe(id),
  previousId: maybe(id),
  timestamp: maybe(hostileDate),
  sentAt: maybe(hostileDate),
  properties: maybe(wrongOr(hostileObject)),
  traits: maybe(wrongOr(hostileObject)),
  context: maybe(contextArb),
  integrations: maybe(wrongOr(hostileObject)),
  extra: fc.array(fc.tuple(hostileKey, hostileJson), { maxLength: 3 }),
})

type HostileEvent = typeof eventArb extends fc.Arbitrary<infer T> ? T : never

/** A JSON-ready event: hostile extra keys first, then the fields (which win on a clash). */
function build(e: HostileEvent) {
  const out: Record<string, unknown> = {}
  const set = (k: string, v: unknown) =>
    v !== undefined &&
    Object.defineProperty(out, k, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  for (const [k, v] of e.extra) set(k, v)
  for (const [k, v] of Object.entries(e)) if (k !== 'extra') set(k, v)
  set('messageId', `ev-${++seq}`)
  return out
}

const requestArb = fc.oneof(
  fc.record({
    route: fc.constantFrom('batch', 'b', 'import'),
    events: fc.array(eventArb, { minLength: 1, maxLength: 4 }),
    // Envelope context: see "Open findings" in docs/reliability.md for `__proto__` there.
    envelope: fc
      .record({ sentAt: hostileDate, context: contextArb }, { requiredKeys: [] })
      .map((env) => withoutProtoKeys(env) as Record<string, unknown>),
  }),
  eventArb.chain((e) =>
    fc.record({
      route: fc.constantFrom(...SINGLE[e.type]!),
      events: fc.constant([e]),
      envelope: fc.constant({}),
    }),
  ),
)

async function storedPayloads(ids: string[]) {
  const rows = await store.sql`select message_id, payload from events
    where workspace_id = ${t.ws.id} and message_id = any(${ids}::text[])`
  return new Map(rows.map((r) => [r.message_id as string, r.payload as Record<string, unknown>]))
}

/** Every field the client sent, after JSON's own rules and the NUL/surrogate scrub, is stored. */
function expectIntact(
  sent: Record<string, unknown>,
  envelopeContext: unknown,
  stored: Record<string, unknown>,
) {
  const want = scrub(JSON.parse(JSON.stringify(sent))) as Record<string, unknown>
  for (const k of Object.keys(want)) {
    if (NORMALISED.has(k)) continue
    expect(Object.hasOwn(stored, k), `field ${k}`).toBe(true)
    expect(canon(stored[k]), `field ${k}`).toBe(canon(want[k]))
  }
  const env = scrub(JSON.parse(JSON.stringify(envelopeContext ?? {}))) as Record<string, unknown>
  const ctx = { ...env, ...((want.context as object) ?? {}) } as Record<string, unknown>
  const got = stored.context as Record<string, unknown>
  for (const k of Object.keys(ctx)) {
    if (ENRICHED_CONTEXT.has(k)) continue
    expect(canon(got[k]), `context.${k}`).toBe(canon(ctx[k]))
  }
}

describe('hostile events on every ingest route', () => {
  it('are rejected by index or stored intact; never a 500, never a polluted prototype', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async ({ route, events, envelope }) => {
        tally.cases++
        const sent = events.map(build)
        const body = ['batch', 'b', 'import'].includes(route)
          ? { ...envelope, batch: sent }
          : sent[0]
        const res = await t.post(`/v1/${route}`, JSON.stringify(body))
        const text = await res.text()
        expect(res.status, text.slice(0, 400)).toBeLessThan(500)
        const json = JSON.parse(text)
        const ids = sent.map((e) => e.messageId as string)
        const stored = await storedPayloads(ids)
        tally.events += sent.length
        if (res.status !== 200) {
          expect(json.success).toBe(false)
          expect(typeof json.error.code).toBe('string')
          expect(stored.size).toBe(0)
          tally.refused += sent.length
          return
        }
        const rejected = new Set<number>(json.rejected.map((r: { index: number }) => r.index))
        expect(json.accepted + rejected.size).toBe(sent.length)
        sent.forEach((e, i) => {
          const row = stored.get(e.messageId as string)
          if (rejected.has(i)) return void expect(row).toBeUndefined()
          expect(row, `event ${i} acknowledged but not stored`).toBeDefined()
          expectIntact(e, (envelope as { context?: unknown }).context, row!)
        })
        tally.stored += stored.size
        tally.rejected += rejected.size
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: runs(400) },
    )
    expect(prototypeFingerprint()).toBe(before)
  })
})
