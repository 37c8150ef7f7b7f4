import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { computeTraits, type LifecycleEventInput } from './computed-traits.js'

const at = fc
  .integer({ min: Date.parse('2024-01-01'), max: Date.parse('2025-06-30') })
  .map((t) => new Date(t).toISOString())
const id = fc.constantFrom('a', 'b', 'c')
const event: fc.Arbitrary<LifecycleEventInput> = fc.oneof(
  fc.record({
    event: fc.constant('Order Completed'),
    timestamp: at,
    properties: fc.record({ orderId: id, revenue: fc.nat(1000), currency: fc.constant('USD') }),
  }),
  fc.record({
    event: fc.constantFrom('Deal Won', 'Deal Lost'),
    timestamp: at,
    properties: fc.record({ dealId: id, amount: fc.nat(1000), currency: fc.constant('USD') }),
  }),
  fc.record({
    event: fc.constantFrom('Ticket Created', 'Ticket Resolved'),
    timestamp: at,
    properties: fc.record({ ticketId: id, category: fc.constant('Bug') }),
  }),
  fc.record({
    event: fc.constant('Survey Responded'),
    timestamp: at,
    properties: fc.record({
      kind: fc.constantFrom('nps', 'csat', 'ces'),
      score: fc.integer({ min: 1, max: 5 }),
    }),
  }),
)

describe('computed traits properties', () => {
  it('do not depend on arrival order and stay in range', () => {
    // Distinct timestamps: with ties, "latest" is genuinely ambiguous.
    const lists = fc
      .uniqueArray(event, { maxLength: 25, selector: (e) => e.timestamp })
      .chain((list) =>
        fc.tuple(
          fc.constant(list),
          fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }),
        ),
      )
    fc.assert(
      fc.property(lists, ([list, shuffled]) => {
        const a = computeTraits(list, {}, '2025-07-01T00:00:00Z')
        expect(computeTraits(shuffled, {}, '2025-07-01T00:00:00Z')).toEqual(a)
        expect(a.churnRisk).toBeGreaterThanOrEqual(0)
        expect(a.churnRisk).toBeLessThanOrEqual(100)
        expect(a.ticketsOpen).toBeLessThanOrEqual(a.ticketsTotal)
        expect(a.orderCount).toBeLessThanOrEqual(3)
        expect(a.lifetimeValue).toBeGreaterThanOrEqual(0)
      }),
      { numRuns: 200 },
    )
  })
})
