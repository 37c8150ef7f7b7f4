import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import type { DashboardContactQuery } from '../ports.js'

// A score-ordered page whose filter no index hands over examines about `budget` contacts
// (adapters/postgres/score-order.ts, `rankedBandEnd`); when fewer than a page pass, it returns
// what it found and a cursor that continues the walk (Keep searching). Checked here: following
// those cursors lists exactly the contacts the test sent with the rare trait, in the order of
// the scores as of now that `GET /v1/contacts?sort=score` gives, in both directions.

const N = 40
let n = 0
const mid = () => `budget-${++n}-${Math.random().toString(36).slice(2)}`
const rare = (i: number) => i % 5 === 2

const RULES = {
  halfLifeDays: 10,
  grades: [{ name: 'cold' }, { name: 'warm', min: 6 }, { name: 'hot', min: 14 }],
  rules: [
    { id: 'visit', name: 'Visited', kind: 'engagement', points: 9, conditions: { type: 'page' } },
    {
      id: 'risky',
      name: 'Churn risk',
      kind: 'fit',
      points: 7,
      conditions: { traits: { churnRisk: { gte: 0.3 } } },
    },
  ],
}

describe.each(BACKENDS)('contacts list within a budget, score order (%s)', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  const now = new Date()
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString()
  const rareIds = new Set<string>()
  /** Every contact's id and total as `GET /v1/contacts?sort=score` lists them. */
  const apiOrder: { id: string; total: number }[] = []

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store, () => now)
    expect((await t.put('/v1/scoring/rules', RULES)).status).toBe(200)
    const batch: unknown[] = []
    for (let i = 0; i < N; i++) {
      const userId = `b${i}`
      // visits of varied age (decayed engagement), some twice, and a fit trait for a third
      for (let v = 0; v < 1 + (i % 3); v++)
        batch.push({
          type: 'page',
          messageId: mid(),
          userId,
          timestamp: daysAgo(((i * 7) % 23) + v * 3 + 0.5),
        })
      batch.push({
        type: 'identify',
        messageId: mid(),
        userId,
        timestamp: daysAgo(0.2),
        traits: {
          email: `${userId}@example.com`,
          plan: rare(i) ? (i % 2 ? 'Rare' : 'rare') : 'common',
          ...(i % 3 === 0 && { churnRisk: 0.5 }),
        },
      })
    }
    expect((await t.post('/v1/batch', { batch })).status).toBe(200)
    for (let i = 0; i < N; i++) {
      const r = await t.get(`/v1/contacts/lookup?userId=b${i}`)
      const id = ((await r.json()) as { id: string }).id
      if (rare(i)) rareIds.add(id)
    }
    let cursor: string | undefined
    do {
      const r = await t.get(
        `/v1/contacts?sort=score&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
      const body = (await r.json()) as {
        contacts: { id: string; score: { total: number } }[]
        next: string | null
      }
      apiOrder.push(...body.contacts.map((c) => ({ id: c.id, total: c.score.total })))
      cursor = body.next ?? undefined
    } while (cursor)
    expect(apiOrder).toHaveLength(N)
  })
  afterAll(() => store.close())

  /** Every page of the query, following `next` (pages and Keep searching alike). */
  async function walk(q: Omit<DashboardContactQuery, 'limit'>, limit: number) {
    const ids: string[] = []
    let requests = 0
    let searched = 0
    let cursor: string | undefined
    for (; requests < 200; requests++) {
      const page = await store.searchContacts(t.ws.id, { ...q, now, limit, cursor })
      expect(page.contacts.length).toBeLessThanOrEqual(limit)
      if (page.windowFull) {
        searched++
        expect(page.next).not.toBeNull()
      }
      ids.push(...page.contacts.map((c) => c.id))
      if (!page.next) return { ids, requests: requests + 1, searched }
      cursor = page.next
    }
    throw new Error('the walk did not end')
  }

  const totals = (list: { total: number }[]) => list.map((r) => r.total)

  it('the API order is highest score first, and the totals spread', () => {
    const got = totals(apiOrder)
    expect(got).toEqual([...got].sort((a, b) => b - a))
    expect(new Set(got).size).toBeGreaterThan(5)
  })

  for (const asc of [false, true])
    it(`a rare trait, ${asc ? 'lowest' : 'highest'} first: continuations list exactly those contacts in the API's order`, async () => {
      const want = (asc ? [...apiOrder].reverse() : apiOrder)
        .filter((r) => rareIds.has(r.id))
        .map((r) => r.id)
      expect(want).toHaveLength(N / 5)
      const q = { trait: { name: 'plan', value: 'RARE' }, asc }
      // unbounded: one walk, no Keep searching
      const whole = await walk({ ...q, budget: 1_000_000 }, 3)
      expect(whole.searched).toBe(0)
      expect(whole.ids).toEqual(want)
      for (const budget of [1, 3, 7]) {
        const bounded = await walk({ ...q, budget }, 3)
        expect(bounded.ids, `budget ${budget}`).toEqual(want)
        expect(bounded.searched, `budget ${budget}`).toBeGreaterThan(0)
        expect(bounded.requests).toBeGreaterThan(whole.requests)
      }
    })

  it('a budget combined with a grade keeps both filters and the order', async () => {
    const byId = new Map(apiOrder.map((r) => [r.id, r.total]))
    // the band starts where the grade does, not at the top of the order
    const first = await store.searchContacts(t.ws.id, {
      trait: { name: 'plan', value: 'common' },
      grade: 'warm',
      budget: 4,
      now,
      limit: 2,
    })
    expect(first.contacts.length).toBeGreaterThan(0)
    const got = await walk(
      { trait: { name: 'plan', value: 'common' }, grade: 'warm', budget: 4 },
      2,
    )
    const want = apiOrder
      .filter((r) => !rareIds.has(r.id) && r.total >= 6 && r.total < 14)
      .map((r) => r.id)
    expect(want.length).toBeGreaterThan(0)
    expect(got.ids).toEqual(want)
    expect(got.ids.every((id) => (byId.get(id) ?? 0) >= 6)).toBe(true)
  })

  it('a bad cursor is refused, not a 500', async () => {
    const r = await t.get('/v1/contacts?sort=score&cursor=not-a-cursor')
    expect(r.status).toBe(400)
  })
})
