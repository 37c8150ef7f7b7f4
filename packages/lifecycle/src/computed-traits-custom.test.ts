import { describe, expect, it } from 'vitest'
import { computeTraits, LifecycleError, observedLifespanYears } from './index.js'

const NOW = Date.parse('2025-06-01T00:00:00Z')
const order = (orderId: string, revenue: number, currency: string, daysAgo = 10) => ({
  event: 'Order Completed',
  timestamp: new Date(NOW - daysAgo * 86_400_000).toISOString(),
  properties: { orderId, revenue, currency },
})

describe('averageOrderValue with currencies', () => {
  it('leaves orders without a rate out of the sum and the count, and reports them', () => {
    const events = [order('a', 100, 'USD'), order('b', 200, 'EUR'), order('c', 50, 'GBP')]
    const t = computeTraits(events, { currency: 'USD', exchangeRates: { EUR: 1.1 } }, NOW)
    // USD 100 + EUR 200 × 1.1 = 320 over 2 converted orders; GBP has no rate.
    expect(t.totalRevenue).toBe(320)
    expect(t.averageOrderValue).toBe(160)
    expect(t.unconvertedOrders).toBe(1)
    expect(t.orderCount).toBe(3)
    // Lifetime value uses the same two orders: 160 × 2 a year × 3 years.
    expect(t.lifetimeValue).toBe(160 * 2 * 3)
  })
})

describe('custom computed traits', () => {
  it('computes any number of named formulas over the lifecycle facts', () => {
    const events = [order('a', 100, 'USD'), order('b', 300, 'USD')]
    const t = computeTraits(
      events,
      {
        customTraits: [
          { name: 'valueTier', formula: 'totalRevenue >= 300 ? 2 : 1' },
          { name: 'riskAdjustedLtv', formula: 'lifetimeValue * (100 - churnRisk) / 100' },
          { name: 'broken', formula: 'log(ticketsOpen)' },
        ],
      },
      NOW,
    )
    expect(t.custom.valueTier).toBe(2)
    expect(t.custom.riskAdjustedLtv).toBe((t.lifetimeValue * (100 - t.churnRisk!)) / 100)
    expect(t.custom.broken).toBeNull()
  })

  it('refuses reserved or repeated names and unknown variables', () => {
    for (const customTraits of [
      [{ name: 'churnRisk', formula: '1' }],
      [
        { name: 'x', formula: '1' },
        { name: 'x', formula: '2' },
      ],
      [{ name: '9lives', formula: '1' }],
      [{ name: 'ok', formula: 'revenue * 2' }],
    ])
      expect(() => computeTraits([], { customTraits }, NOW)).toThrow(LifecycleError)
  })
})

describe('observed customer lifetime', () => {
  const Y = 365.25 * 86_400_000
  it('averages first-to-last purchase over customers who left; none below the minimum', () => {
    const customers = [
      { first: NOW - 5 * Y, last: NOW - 3 * Y }, // 2 years, left
      { first: NOW - 6 * Y, last: NOW - 2 * Y }, // 4 years, left
      { first: NOW - 2 * Y, last: NOW - 0.1 * Y }, // still buying: not counted
    ]
    expect(observedLifespanYears(customers, NOW, { minCustomers: 2 })).toEqual({
      years: 3,
      customers: 2,
    })
    expect(observedLifespanYears(customers, NOW).years).toBeNull()
  })

  it('is used for lifetime value when the method is observed', () => {
    const events = [order('a', 100, 'USD'), order('b', 300, 'USD')]
    const fixed = computeTraits(events, {}, NOW)
    const observed = computeTraits(
      events,
      { lifespanMethod: 'observed', observedLifespanYears: 1.5 },
      NOW,
    )
    expect(observed.lifetimeValue).toBe((fixed.lifetimeValue / 3) * 1.5)
    // Until measured, the expected lifespan applies.
    expect(computeTraits(events, { lifespanMethod: 'observed' }, NOW).lifetimeValue).toBe(
      fixed.lifetimeValue,
    )
  })
})
