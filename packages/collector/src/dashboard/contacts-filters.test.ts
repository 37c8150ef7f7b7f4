import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { createListsStore } from '../adapters/postgres/lists-store.js'
import type { DashboardContactQuery } from '../ports.js'

// The contacts page's filters an index answers (computed traits, first touch, topic, list,
// not seen since): a page is built from those candidates (adapters/postgres/dashboard/
// contacts.ts, `drivers`). Each filter is checked against what the test itself sent, across
// pages of 4 that must neither skip nor repeat.

const N = 48
let n = 0
const mid = () => `filt-${++n}-${Math.random().toString(36).slice(2)}`

interface Sent {
  userId: string
  ltv?: number | string
  churn?: number
  tickets?: number
  source?: string
  campaign?: string
  subscribed: boolean
  listed: boolean
  old: boolean
}

const people: Sent[] = Array.from({ length: N }, (_, i) => ({
  userId: `f${i}`,
  // numbers, and a string that must not count as one
  ltv: i % 4 === 0 ? i * 10 : i % 4 === 1 ? '1,000' : undefined,
  churn: i % 3 === 0 ? i / 50 : undefined,
  tickets: i % 5 === 0 ? i % 4 : undefined,
  source: i % 2 === 0 ? (i % 3 === 0 ? 'WeChat' : 'google') : undefined,
  campaign: i % 2 === 0 ? `spring-${i % 5}` : undefined,
  subscribed: i % 7 === 0,
  listed: i % 6 === 1,
  old: i % 8 === 2,
}))

// Decaying engagement (page views of 1 and 40 days ago) and a fit rule, so totals spread and
// the score-range pages walk the (fit, key) index with bounds computed as of now.
const RULES = {
  halfLifeDays: 10,
  grades: [{ name: 'cold' }, { name: 'warm', min: 6 }, { name: 'hot', min: 14 }],
  rules: [
    {
      id: 'visit',
      name: 'Visited',
      kind: 'engagement',
      points: 9,
      conditions: { type: 'page' },
    },
    {
      id: 'risky',
      name: 'Churn risk',
      kind: 'fit',
      points: 7,
      conditions: { traits: { churnRisk: { gte: 0.3 } } },
    },
  ],
}

describe.each(BACKENDS)('contacts filters driven by an index (%s)', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  const idOf = new Map<string, string>()
  const now = new Date()
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString()
  let listId = ''

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store, () => now)
    expect((await t.put('/v1/scoring/rules', RULES)).status).toBe(200)
    const batch: unknown[] = []
    for (const p of people) {
      const at = daysAgo(p.old ? 40 : 1 + (Number(p.userId.slice(1)) % 13) * 0.7)
      if (p.source)
        batch.push({
          type: 'page',
          messageId: mid(),
          userId: p.userId,
          timestamp: at,
          context: {
            page: { url: `https://shop.test/?utm_source=${p.source}&utm_campaign=${p.campaign}` },
            campaign: { source: p.source, name: p.campaign },
          },
        })
      batch.push({
        type: 'identify',
        messageId: mid(),
        userId: p.userId,
        timestamp: at,
        traits: {
          email: `${p.userId}@example.com`,
          ...(p.ltv !== undefined && { lifetimeValue: p.ltv }),
          ...(p.churn !== undefined && { churnRisk: p.churn }),
          ...(p.tickets !== undefined && { ticketsOpen: p.tickets }),
        },
      })
      if (p.subscribed)
        batch.push({
          type: 'track',
          messageId: mid(),
          userId: p.userId,
          timestamp: at,
          event: 'Subscription Preferences Updated',
          properties: { topics: { newsletter: true } },
        })
    }
    expect((await t.post('/v1/batch', { batch })).status).toBe(200)
    for (const p of people) {
      const r = await t.get(`/v1/contacts/lookup?userId=${p.userId}`)
      idOf.set(p.userId, ((await r.json()) as { id: string }).id)
    }
    const lists = createListsStore(store.sql)
    listId = (await lists.createList(t.ws.id, 'Filtered')).id
    const listed = people.filter((p) => p.listed).map((p) => idOf.get(p.userId)!)
    expect(
      (await lists.changeMembers(t.ws.id, listId, 'add', { contactIds: listed }, now))?.changed,
    ).toBe(listed.length)
  })
  afterAll(() => store.close())

  /** Every page of the query, 4 at a time: the ids and their sort keys. */
  async function all(q: Omit<DashboardContactQuery, 'limit'>) {
    const out: { id: string; score: number; lastSeen: string }[] = []
    let cursor: string | undefined
    for (let pages = 0; pages < 40; pages++) {
      const page = await store.searchContacts(t.ws.id, { ...q, now, limit: 4, cursor })
      expect(page.windowFull).toBe(false)
      out.push(
        ...page.contacts.map((c) => ({ id: c.id, score: c.score.total, lastSeen: c.lastSeen })),
      )
      if (!page.next) return out
      cursor = page.next
    }
    throw new Error('more pages than contacts')
  }

  const expectIds = (got: { id: string }[], want: (p: Sent) => boolean) => {
    const ids = got.map((g) => g.id)
    expect(new Set(ids).size).toBe(ids.length)
    const expected = people.filter(want).map((p) => idOf.get(p.userId)!)
    expect(expected.length).toBeGreaterThan(0)
    expect(ids.sort()).toEqual(expected.sort())
  }

  it('lifetime value, churn risk and open tickets at least a bound (numbers only)', async () => {
    expectIds(
      await all({ minLifetimeValue: 100 }),
      (p) => typeof p.ltv === 'number' && p.ltv >= 100,
    )
    expectIds(await all({ minChurnRisk: 0.3 }), (p) => (p.churn ?? -1) >= 0.3)
    expectIds(await all({ minOpenTickets: 1 }), (p) => (p.tickets ?? -1) >= 1)
  })

  it('first-touch source and campaign, case-insensitive', async () => {
    expectIds(await all({ source: 'wechat' }), (p) => p.source === 'WeChat')
    expectIds(await all({ campaign: 'SPRING-2' }), (p) => p.campaign === 'spring-2')
  })

  it('a topic, a static list and not seen for 30 days, alone and combined', async () => {
    expectIds(await all({ topic: 'newsletter' }), (p) => p.subscribed)
    expectIds(await all({ segmentId: listId }), (p) => p.listed)
    expectIds(await all({ seenBefore: new Date(daysAgo(30)) }), (p) => p.old)
    expectIds(
      await all({ segmentId: listId, minOpenTickets: 0, sort: 'lastSeen' }),
      (p) => p.listed && p.tickets !== undefined,
    )
    expectIds(
      await all({ source: 'google', seenBefore: new Date(daysAgo(30)), asc: true }),
      (p) => p.source === 'google' && p.old,
    )
  })

  it('grade and score range pages hold exactly the contacts whose score as of now is in range', async () => {
    const everyone = await all({})
    expect(everyone).toHaveLength(N)
    const totals = new Set(everyone.map((r) => r.score))
    expect(totals.size).toBeGreaterThan(3)
    const within = (min: number, max: number) =>
      everyone.filter((r) => r.score >= min && r.score <= max).map((r) => r.id)
    for (const [q, min, max] of [
      [{ grade: 'hot' }, 14, Infinity],
      [{ grade: 'warm' }, 6, 13.99],
      [{ grade: 'cold' }, -Infinity, 5.99],
      [{ score: { min: 3, max: 12 } }, 3, 12],
      [{ grade: 'warm', score: { min: 8 } }, 8, 13.99],
    ] as const) {
      const got = await all(q)
      expect(got.map((r) => r.id).sort(), JSON.stringify(q)).toEqual(within(min, max).sort())
      expect(got.map((r) => r.score)).toEqual(got.map((r) => r.score).sort((a, b) => b - a))
    }
  })

  it('keeps the page order: score, or last seen, either way', async () => {
    const byScore = await all({ minChurnRisk: 0 })
    expect(byScore.map((r) => r.score)).toEqual(byScore.map((r) => r.score).sort((a, b) => b - a))
    const bySeen = await all({ minChurnRisk: 0, sort: 'lastSeen', asc: true })
    const seen = bySeen.map((r) => r.lastSeen)
    expect(seen).toEqual([...seen].sort())
    expect(new Set(bySeen.map((r) => r.id))).toEqual(new Set(byScore.map((r) => r.id)))
  })
})
