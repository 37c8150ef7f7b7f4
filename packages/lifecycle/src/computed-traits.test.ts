import { describe, expect, it } from 'vitest'
import { DEFAULT_CHURN_FORMULA } from './churn.js'
import { computeTraits, createTraitComputer, type LifecycleEventInput } from './computed-traits.js'
import {
  CHURN_FORMULA_VARIABLES,
  COMPUTED_TRAIT_KINDS,
  STORED_COMPUTED_TRAITS,
} from './computed-trait-names.js'
import { LifecycleError } from './errors.js'

const NOW = '2025-06-30T12:00:00.000Z'
const ev = (event: string, timestamp: string, properties: Record<string, unknown>) =>
  ({ event, timestamp, properties }) satisfies LifecycleEventInput
const order = (id: string, at: string, revenue: number, currency = 'USD') =>
  ev('Order Completed', at, { orderId: id, revenue, currency })
const ticket = (id: string, at: string) =>
  ev('Ticket Created', at, { ticketId: id, category: 'Billing' })
const survey = (kind: string, score: number, at: string) =>
  ev('Survey Responded', at, { kind, score })

describe('computed traits', () => {
  it('computes exactly the traits of the one table, with values of their kind', () => {
    const t = computeTraits(
      [order('o1', '2025-01-01T00:00:00Z', 10), ticket('t1', '2025-06-01T00:00:00Z')],
      {},
      NOW,
    )
    // Besides the table: `custom`, the workspace's custom computed traits (none here).
    expect(Object.keys(t).sort()).toEqual([...Object.keys(COMPUTED_TRAIT_KINDS), 'custom'].sort())
    expect(t.custom).toEqual({})
    for (const [name, kind] of Object.entries(COMPUTED_TRAIT_KINDS)) {
      const v = t[name as keyof typeof t]
      if (kind === 'date?') expect(v === null || typeof v === 'string').toBe(true)
      else if (kind === 'number') expect(typeof v).toBe('number')
      else expect(v === null || typeof v === 'number').toBe(true)
    }
    expect(STORED_COMPUTED_TRAITS).not.toContain('daysSinceLastOrder')
    expect(STORED_COMPUTED_TRAITS).toContain('churnRisk')
    expect(CHURN_FORMULA_VARIABLES).toContain('daysSinceLastTicket')
    expect(CHURN_FORMULA_VARIABLES).not.toContain('lastOrderAt')
    expect(CHURN_FORMULA_VARIABLES).not.toContain('churnRisk')
  })

  it('gives empty traits and the default baseline risk for a contact with no events', () => {
    const t = computeTraits([], {}, NOW)
    expect(t).toMatchObject({
      orderCount: 0,
      totalRevenue: 0,
      averageOrderValue: null,
      lifetimeValue: 0,
      ticketsTotal: 0,
      nps: null,
      lastTicketAt: null,
      churnRisk: 20,
    })
  })

  it('counts orders, revenue and LTV = average × frequency × lifespan', () => {
    const events = [
      order('o1', '2025-01-10T00:00:00Z', 100),
      order('o2', '2025-03-01T00:00:00Z', 300),
    ]
    const t = computeTraits(events, {}, NOW)
    expect(t.orderCount).toBe(2)
    expect(t.totalRevenue).toBe(400)
    expect(t.averageOrderValue).toBe(200)
    expect(t.firstOrderAt).toBe('2025-01-10T00:00:00.000Z')
    expect(t.lastOrderAt).toBe('2025-03-01T00:00:00.000Z')
    // Less than a year of history: frequency is averaged over the 1-year minimum.
    expect(t.purchaseFrequency).toBe(2)
    expect(t.lifetimeValue).toBe(200 * 2 * 3)
    expect(computeTraits(events, { expectedLifespanYears: 5 }, NOW).lifetimeValue).toBe(2000)
  })

  it('averages frequency over the whole history once it is longer than the minimum', () => {
    const events = [
      order('a', '2023-06-30T12:00:00Z', 100),
      order('b', '2024-06-30T12:00:00Z', 100),
      order('c', '2025-06-30T12:00:00Z', 100),
      order('d', '2025-06-30T12:00:00Z', 100),
    ]
    const t = computeTraits(events, {}, NOW)
    expect(t.purchaseFrequency).toBeCloseTo(2, 1) // 4 orders over ~2 years
    expect(t.lifetimeValue).toBeCloseTo(100 * (4 / 2) * 3, -1)
    expect(t.daysSinceLastOrder).toBe(0)
  })

  it('uses revenue, else total, and counts a resent order once', () => {
    const events = [
      ev('Order Completed', '2025-05-01T00:00:00Z', { orderId: 'o1', total: 50, currency: 'USD' }),
      ev('Order Completed', '2025-05-02T00:00:00Z', {
        orderId: 7,
        revenue: 80,
        total: 95,
        currency: 'usd',
      }),
      ev('Order Completed', '2025-05-02T00:00:01Z', { orderId: '7', revenue: 80, currency: 'USD' }),
    ]
    const t = computeTraits(events, {}, NOW)
    expect(t.orderCount).toBe(2)
    expect(t.totalRevenue).toBe(130)
  })

  it('converts currencies to the reporting currency and leaves out unconvertible ones', () => {
    const events = [
      order('a', '2025-05-01T00:00:00Z', 100, 'USD'),
      order('b', '2025-05-01T00:00:00Z', 100, 'EUR'),
      order('c', '2025-05-01T00:00:00Z', 100, 'JPY'),
    ]
    const t = computeTraits(events, { currency: 'USD', exchangeRates: { EUR: 1.1 } }, NOW)
    expect(t.orderCount).toBe(3)
    expect(t.totalRevenue).toBe(210)
    expect(t.lifetimeValue).toBe(round2((210 / 2) * 2 * 3))
  })

  it('counts deals won and lost with amounts; the latest outcome of a deal wins', () => {
    const deal = (name: string, at: string, dealId: string, amount: number) =>
      ev(name, at, { dealId, amount, currency: 'USD' })
    const events = [
      deal('Deal Lost', '2025-01-01T00:00:00Z', 'd1', 1000),
      deal('Deal Won', '2025-02-01T00:00:00Z', 'd1', 1200),
      deal('Deal Won', '2025-03-01T00:00:00Z', 'd2', 500),
      deal('Deal Lost', '2025-04-01T00:00:00Z', 'd3', 700),
    ]
    const t = computeTraits(events, {}, NOW)
    expect([t.dealsWon, t.dealsWonAmount, t.dealsLost, t.dealsLostAmount]).toEqual([
      2, 1700, 1, 700,
    ])
    expect(t.lifetimeValue).toBe(0)
    const b2b = computeTraits(events, { dealsAsPurchases: true }, NOW)
    expect(b2b.lifetimeValue).toBe(round2((1700 / 2) * 2 * 3))
    expect(b2b.orderCount).toBe(0)
  })

  it('counts tickets total, open, in the last 30 days, and the last ticket time', () => {
    const events = [
      ticket('t1', '2025-04-01T00:00:00Z'),
      ev('Ticket Resolved', '2025-04-01T02:00:00Z', { ticketId: 't1' }),
      ticket('t2', '2025-06-10T00:00:00Z'),
      ticket('t3', '2025-06-20T00:00:00Z'),
      ev('Ticket Resolved', '2025-06-21T00:00:00Z', { ticketId: 't3', resolutionMinutes: 30 }),
      ev('Ticket Resolved', '2025-06-25T00:00:00Z', { ticketId: 't4', resolutionMinutes: 60 }),
    ]
    const t = computeTraits(events, {}, NOW)
    expect(t.ticketsTotal).toBe(4)
    expect(t.ticketsOpen).toBe(1)
    expect(t.ticketsLast30Days).toBe(3)
    expect(t.lastTicketAt).toBe('2025-06-24T23:00:00.000Z') // t4, inferred from its resolution
    expect(t.averageResolutionMinutes).toBe(70) // (120 + 30 + 60) / 3
  })

  it('infers a creation time a date can hold from an absurd resolutionMinutes', () => {
    // Found by routes/lifecycle-ingest.fuzz.test.ts: 1.8e308 minutes made lastTicketAt an
    // invalid date and the ingest request a 500.
    const events = [
      ev('Ticket Resolved', '2024-01-01T00:00:00Z', {
        ticketId: 't1',
        resolutionMinutes: Number.MAX_VALUE,
      }),
    ]
    const t = computeTraits(events, {}, NOW)
    expect(t.ticketsTotal).toBe(1)
    expect(Number.isNaN(Date.parse(t.lastTicketAt ?? ''))).toBe(false)
    expect(t.averageResolutionMinutes).toBe(Number.MAX_VALUE)
  })

  it('reopens a ticket created again after it was resolved', () => {
    const events = [
      ticket('t1', '2025-06-01T00:00:00Z'),
      ev('Ticket Resolved', '2025-06-02T00:00:00Z', { ticketId: 't1' }),
      ticket('t1', '2025-06-03T00:00:00Z'),
    ]
    const t = computeTraits(events, {}, NOW)
    expect([t.ticketsTotal, t.ticketsOpen]).toEqual([1, 1])
    expect(t.lastTicketAt).toBe('2025-06-01T00:00:00.000Z')
  })

  it('keeps the latest NPS, CSAT and CES by timestamp, whatever the arrival order', () => {
    const events = [
      survey('csat', 2, '2025-06-02T00:00:00Z'),
      survey('nps', 9, '2025-05-01T00:00:00Z'),
      survey('csat', 5, '2025-06-01T00:00:00Z'),
      survey('ces', 6, '2025-04-01T00:00:00Z'),
      survey('nps', 3, '2025-04-01T00:00:00Z'),
    ]
    const t = computeTraits(events, {}, NOW)
    expect([t.nps, t.csat, t.ces]).toEqual([9, 2, 6])
    expect(t.lastSurveyAt).toBe('2025-06-02T00:00:00.000Z')
    expect(computeTraits([...events].reverse(), {}, NOW)).toEqual(t)
  })

  it('skips invalid, unknown and undated events', () => {
    const events = [
      ev('Survey Responded', '2025-06-01T00:00:00Z', { kind: 'csat', score: 9 }),
      ev('Order Completed', '2025-06-01T00:00:00Z', { orderId: 'x', currency: 'USD' }),
      ev('Order Completed', 'not a date', { orderId: 'y', revenue: 5, currency: 'USD' }),
      ev('Page Engaged', '2025-06-01T00:00:00Z', { activeMs: 5 }),
      { event: null, timestamp: NOW },
      { event: 'Ticket Created', timestamp: NOW, properties: null },
    ]
    const t = computeTraits(events, {}, NOW)
    expect([t.csat, t.orderCount, t.ticketsTotal]).toEqual([null, 0, 0])
  })

  it('raises churn risk for the unhappy customer and lowers it for the happy one', () => {
    const story = [
      ev('Deal Won', '2025-06-01T00:00:00Z', { dealId: 'd', amount: 5000, currency: 'USD' }),
      order('o1', '2025-06-02T00:00:00Z', 100),
      order('o2', '2025-06-09T00:00:00Z', 100),
    ]
    const before = computeTraits(story, {}, NOW)
    const after = computeTraits(
      [
        ...story,
        ticket('t1', '2025-06-20T00:00:00Z'),
        ticket('t2', '2025-06-22T00:00:00Z'),
        ticket('t3', '2025-06-26T00:00:00Z'),
        survey('csat', 2, '2025-06-27T00:00:00Z'),
      ],
      {},
      NOW,
    )
    expect(before.churnRisk).toBe(20)
    expect(after.churnRisk).toBe(20 + 12 + 3 * 6 + 3 * 5)
    const happy = computeTraits([survey('csat', 5, NOW), survey('nps', 10, NOW)], {}, NOW)
    expect(happy.churnRisk).toBe(0)
    const lapsed = computeTraits([order('o', '2024-01-01T00:00:00Z', 10)], {}, NOW)
    expect(lapsed.churnRisk).toBe(35)
  })

  it('uses a custom churn formula, clamped to 0–100 and rounded', () => {
    const t = createTraitComputer({ churnFormula: 'ticketsOpen * 33.4' })
    expect(t.compute([ticket('a', NOW)], NOW).churnRisk).toBe(33)
    expect(
      t.compute([ticket('a', NOW), ticket('b', NOW), ticket('c', NOW), ticket('d', NOW)], NOW)
        .churnRisk,
    ).toBe(100)
    expect(createTraitComputer({ churnFormula: '0 - 5' }).compute([], NOW).churnRisk).toBe(0)
    expect(
      createTraitComputer({ churnFormula: 'log(ticketsOpen)' }).compute([], NOW).churnRisk,
    ).toBeNull()
  })

  it('rejects bad configuration up front', () => {
    const code = (c: object) => {
      try {
        createTraitComputer(c)
      } catch (e) {
        return e instanceof LifecycleError ? e.code : 'other'
      }
      return 'none'
    }
    expect(code({ churnFormula: 'csat +' })).toBe('formula_syntax')
    expect(code({ churnFormula: 'satisfaction * 2' })).toBe('formula_unknown_variable')
    expect(code({ expectedLifespanYears: 0 })).toBe('invalid_config')
    expect(code({ minObservationYears: Number.NaN })).toBe('invalid_config')
    expect(code({ currency: 'usd' })).toBe('invalid_config')
    expect(code({ exchangeRates: { EUR: -1 } })).toBe('invalid_config')
    expect(code({ churnFormula: DEFAULT_CHURN_FORMULA })).toBe('none')
    expect(() => computeTraits([], {}, 'never')).toThrow(LifecycleError)
  })
})

function round2(n: number) {
  return Math.round(n * 100) / 100
}
