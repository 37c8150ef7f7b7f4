import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LIFECYCLE_EVENT_NAMES } from '@lodestone/protocol'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { hostileJson, hostileNumber, runs } from '../test-support/hostile.js'

// Lifecycle events with the secret key and hostile properties: every request is answered
// 200 (some events maybe rejected) or 400 (none valid), never 5xx; computed traits stay sane.

const value = fc.oneof(
  { arbitrary: fc.integer({ min: -5, max: 12 }), weight: 4 },
  { arbitrary: hostileNumber, weight: 2 },
  { arbitrary: fc.constantFrom('csat', 'nps', 'ces', 'usd', 'EUR', 'Price', ' price '), weight: 2 },
  { arbitrary: hostileJson, weight: 1 },
)
const props = fc.record(
  {
    dealId: value,
    orderId: value,
    ticketId: value,
    amount: value,
    revenue: value,
    total: value,
    currency: value,
    kind: value,
    score: value,
    reason: value,
    category: value,
    resolutionMinutes: value,
  },
  { requiredKeys: [] },
)
const event = fc.record({
  event: fc.constantFrom(...LIFECYCLE_EVENT_NAMES),
  userId: fc.constantFrom('f-1', 'f-2', 'f-3'),
  timestamp: fc
    .integer({ min: Date.parse('2024-01-01'), max: Date.parse('2026-01-01') })
    .map((t) => new Date(t).toISOString()),
  properties: props,
})

describe('lifecycle ingest under hostile properties', () => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  let n = 0
  beforeAll(async () => {
    store = await openTestStore('pglite')
    t = await createTestApp(store)
  })
  afterAll(() => store?.close())

  it('never fails the request and keeps computed traits in range', async () => {
    let accepted = 0
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 6 }), async (events) => {
        const batch = events.map((e) => ({ ...e, type: 'track', messageId: `fz-${++n}` }))
        const res = await t.post(
          '/v1/batch',
          { batch },
          {
            authorization: `Bearer ${t.ws.secretKey}`,
          },
        )
        expect([200, 400]).toContain(res.status)
        const body = await res.json()
        if (res.status === 200) {
          expect(body.accepted + body.rejected.length).toBe(batch.length)
          accepted += body.accepted
        } else expect(body.rejected).toHaveLength(batch.length)
      }),
      { numRuns: runs(40) },
    )
    // The generator reaches valid events too, so the trait checks below are not vacuous.
    expect(accepted).toBeGreaterThan(0)
    for (const userId of ['f-1', 'f-2', 'f-3']) {
      const res = await t.get(`/v1/contacts/lookup?userId=${userId}`)
      if (res.status === 404) continue
      const { traits } = await res.json()
      if (traits.churnRisk !== undefined && traits.churnRisk !== null) {
        expect(traits.churnRisk).toBeGreaterThanOrEqual(0)
        expect(traits.churnRisk).toBeLessThanOrEqual(100)
      }
      if (traits.orderCount !== undefined) expect(traits.orderCount).toBeGreaterThanOrEqual(0)
    }
  })
})
