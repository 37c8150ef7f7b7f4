import { describe, expect, it } from 'vitest'
import { BACKENDS, closingStores } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'

// A transition is stored as a track event on the contact (docs/segments.md, Entered and
// exited). The ingest write builds its payload in SQL from the transition's fields
// (adapters/postgres/segments-eval.ts): this pins the stored row to the documented shape.

const stores = closingStores()

describe.each(BACKENDS)('Segment Entered / Exited as stored events (%s)', (backend) => {
  it('has the documented payload, messageId and time', async () => {
    const store = await stores.open(backend)
    const t = await createTestApp(store)
    const seg = await t.segments.createSegment(t.ws.id, {
      name: 'Pricing “fans” 价格',
      key: 'pricing-fans',
      conditions: {
        events: { match: { type: 'page', url: '*/pricing*' }, atLeast: 1, within: '1d' },
      },
    })
    while ((await t.segments.backfillStep(new Date())) !== null);
    const page = (n: number, url: string) => ({
      type: 'page',
      anonymousId: 'visitor-1',
      messageId: `m-${n}`,
      properties: { url },
    })
    expect((await t.post('/v1/batch', { batch: [page(1, 'https://a.example/')] })).status).toBe(200)
    expect(
      (await t.post('/v1/batch', { batch: [page(2, 'https://a.example/pricing')] })).status,
    ).toBe(200)

    const rows = await store.sql`select message_id, contact_id, type, event, timestamp, received_at,
        user_id, anonymous_id, payload
      from events where workspace_id = ${t.ws.id} and message_id like 'segment:%'`
    expect(rows).toHaveLength(1)
    const row = rows[0]!
    const contactId = row.contact_id as string
    const at = new Date(row.timestamp as string).toISOString()
    expect(row.message_id).toBe(`segment:${seg.id}:${contactId}:1`)
    expect([row.type, row.event, row.user_id, row.anonymous_id]).toEqual([
      'track',
      'Segment Entered',
      null,
      null,
    ])
    expect(new Date(row.received_at as string).toISOString()).toBe(at)
    expect(row.payload).toEqual({
      type: 'track',
      event: 'Segment Entered',
      messageId: `segment:${seg.id}:${contactId}:1`,
      timestamp: at,
      properties: {
        segmentId: seg.id,
        segmentKey: 'pricing-fans',
        segmentName: 'Pricing “fans” 价格',
      },
    })
  })
})
