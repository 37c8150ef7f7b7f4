import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, type TestStore } from '../../test-support/stores.js'
import { createTestApp } from '../../test-support/app.js'

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString()

// Concurrent requests share ingest transactions (group commit); each must still be answered
// with its own outcome, and nothing may be stored twice or lost.
describe('group commit of concurrent ingest requests (postgres)', () => {
  let store: TestStore
  beforeAll(async () => {
    store = await openTestStore('postgres')
  })
  afterAll(() => store.close())

  it('answers each request with its own accepted and duplicate counts', async () => {
    const t = await createTestApp(store)
    // 30 requests for 10 visitors; request i repeats the last messageId of request i - 1. Each
    // copy says which request sent it, so the database tells whose copy was stored.
    const seen = (messageId: string, visitor: number, from: number) => ({
      type: 'track',
      event: 'Seen',
      messageId,
      anonymousId: `gv${visitor % 10}`,
      properties: { from },
      timestamp: at(from),
    })
    const batches = Array.from({ length: 30 }, (_, i) => [
      ...(i > 0 ? [seen(`g${i - 1}-c`, i - 1, i)] : []),
      { type: 'page', name: 'Pricing', messageId: `g${i}-a`, anonymousId: `gv${i % 10}` },
      seen(`g${i}-c`, i, i),
    ])
    const answers = await Promise.all(
      batches.map(async (batch) => {
        const res = await t.post('/v1/batch', { batch })
        expect(res.status).toBe(200)
        return (await res.json()) as { accepted: number; duplicates: number }
      }),
    )
    const rows = await store.sql`select message_id, payload->'properties'->>'from' as "from"
      from events where workspace_id = ${t.ws.id} and message_id like 'g%-c'`
    const storedFrom = new Map(rows.map((r) => [r.message_id as string, Number(r.from)]))
    // g{k}-c is carried by requests k and k + 1: the one whose copy was stored was not told it
    // was a duplicate, the other was. Request i's count follows from the two ids it shares.
    answers.forEach((answer, i) => {
      const repeatsEarlier = i > 0 && storedFrom.get(`g${i - 1}-c`) === i - 1 ? 1 : 0
      const repeatedLater = i < 29 && storedFrom.get(`g${i}-c`) === i + 1 ? 1 : 0
      expect({ i, accepted: answer.accepted, duplicates: answer.duplicates }).toEqual({
        i,
        accepted: batches[i]!.length,
        duplicates: repeatsEarlier + repeatedLater,
      })
    })
    expect(answers.reduce((a, r) => a + r.duplicates, 0)).toBe(29)
    const [row] = await store.sql`select count(*)::int as n, count(distinct contact_id)::int as c
      from events where workspace_id = ${t.ws.id}`
    expect(row).toEqual({ n: 60, c: 10 })
  })

  it('makes one contact per visitor when the racing requests land in one group', async () => {
    const t = await createTestApp(store)
    const res = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.post('/v1/batch', {
          batch: [
            {
              type: 'track',
              event: 'Seen',
              messageId: `r${i}`,
              anonymousId: `rv${i % 4}`,
              timestamp: at(i),
            },
            ...(i % 4 === 0
              ? [
                  {
                    type: 'identify',
                    messageId: `ri${i}`,
                    anonymousId: `rv${i % 4}`,
                    traits: { email: `r${i % 4}@x.test` },
                    timestamp: at(i),
                  },
                ]
              : []),
          ],
        }),
      ),
    )
    expect(res.map((r) => r.status)).toEqual(Array(40).fill(200))
    const [row] = await store.sql`select count(distinct contact_id)::int as c, count(*)::int as n
      from events where workspace_id = ${t.ws.id}`
    expect(row).toEqual({ c: 4, n: 50 })
  })
})
