import { describe, expect, it } from 'vitest'
import { BACKENDS, closingStores } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'

// Ingest folds the events it receives into a contact's score; the segments' own Segment
// Entered / Exited events are written beside them and never folded. A replay (an event older
// than the contact's latest, a merge, new rules) must score the same events, so it leaves
// them out too (adapters/postgres/scoring.ts): here a rule that would count them, and a late
// event that makes ingest replay the contact.

const RULES = {
  halfLifeDays: 30,
  grades: [{ name: 'cold' }, { name: 'warm', min: 20 }, { name: 'hot', min: 50 }],
  rules: [
    {
      id: 'pricing',
      name: 'Pricing',
      kind: 'engagement',
      points: 10,
      conditions: { type: 'page', url: '*/pricing*' },
    },
    {
      id: 'entered',
      name: 'Entered a segment',
      kind: 'engagement',
      points: 25,
      conditions: { type: 'track', event: 'Segment Entered' },
    },
  ],
}

const stores = closingStores()

describe.each(BACKENDS)('replays leave out the segments’ own events (%s)', (backend) => {
  it('a late event replays the contact to the score ingest folded', async () => {
    const store = await stores.open(backend)
    const now = Date.parse('2026-03-02T10:00:00Z')
    const t = await createTestApp(store, () => new Date(now))
    const put = await t.put('/v1/scoring/rules', RULES)
    expect(put.status, await put.clone().text()).toBe(200)
    await t.segments.createSegment(t.ws.id, {
      name: 'Looked at pricing',
      conditions: {
        events: { match: { type: 'page', url: '*/pricing*' }, atLeast: 1, within: '7d' },
      },
    })
    while ((await t.segments.backfillStep(new Date(now))) !== null);
    const page = (id: string, url: string, at: number) => ({
      type: 'page',
      anonymousId: 'visitor-1',
      messageId: id,
      timestamp: new Date(at).toISOString(),
      properties: { url },
    })
    const score = async () => {
      const [c] = await store.sql`select id from contacts where workspace_id = ${t.ws.id}`
      const res = await t.get(`/v1/contacts/${c!.id as string}`)
      return ((await res.json()) as { score: { engagement: number } }).score.engagement
    }
    expect(
      (await t.post('/v1/batch', { batch: [page('p1', 'https://a.io/pricing', now)] })).status,
    ).toBe(200)
    const entered = await store.sql`select count(*)::int as n from events
      where workspace_id = ${t.ws.id} and event = 'Segment Entered'`
    expect(entered[0]!.n).toBe(1)
    const folded = await score()
    expect(folded).toBe(10)
    // older than the latest event: ingest replays the contact from its stored events
    expect(
      (await t.post('/v1/batch', { batch: [page('p0', 'https://a.io/', now - 3_600_000)] })).status,
    ).toBe(200)
    expect(await score()).toBe(folded)
  })
})

describe.each(BACKENDS)(
  'a client’s messageId is never taken for the segments’ own (%s)',
  (backend) => {
    it('page views a client named segment:… count in a back-fill as they did at ingest', async () => {
      const store = await stores.open(backend)
      const now = Date.parse('2026-03-02T10:00:00Z')
      const t = await createTestApp(store, () => new Date(now))
      const conditions = {
        events: { match: { type: 'page', url: '*/pricing*' }, atLeast: 2, within: '7d' },
      }
      const backfill = async () => {
        while ((await t.segments.backfillStep(new Date(now))) !== null);
      }
      const atIngest = await t.segments.createSegment(t.ws.id, { name: 'At ingest', conditions })
      await backfill()
      const batch = [1, 2].map((n) => ({
        type: 'page',
        anonymousId: 'visitor-1',
        messageId: `segment:client-chosen-${n}`,
        timestamp: new Date(now - n * 60_000).toISOString(),
        properties: { url: 'https://a.io/pricing' },
      }))
      expect((await t.post('/v1/batch', { batch })).status).toBe(200)
      const backfilled = await t.segments.createSegment(t.ws.id, {
        name: 'Back-filled',
        conditions,
      })
      await backfill()
      const members = await store.sql`select segment_id from segment_members where member
      order by segment_id`
      expect(members.map((m) => m.segment_id).sort()).toEqual([atIngest.id, backfilled.id].sort())
    })
  },
)
