import { describe, expect, it } from 'vitest'
import { LifecycleError } from './errors.js'
import {
  cesScore,
  csatScore,
  npsScore,
  periodLabel,
  periodRange,
  retentionOverTime,
  satisfactionKpis,
  satisfactionOverTime,
  type KpiEvent,
} from './kpis.js'

const survey = (contactId: string, kind: string, score: number, timestamp: string): KpiEvent => ({
  contactId,
  event: 'Survey Responded',
  timestamp,
  properties: { kind, score },
})
const order = (contactId: string, timestamp: string): KpiEvent => ({
  contactId,
  event: 'Order Completed',
  timestamp,
  properties: { orderId: `${contactId}-${timestamp}`, revenue: 10, currency: 'USD' },
})

describe('score formulas', () => {
  it('computes NPS as % promoters − % detractors', () => {
    expect(npsScore([10, 9, 8, 3])).toEqual({
      score: 25,
      promoters: 2,
      passives: 1,
      detractors: 1,
      responses: 4,
    })
    expect(npsScore([0, 1, 2]).score).toBe(-100)
    expect(npsScore([9, 10]).score).toBe(100)
    expect(npsScore([9, 7, 5]).score).toBe(0)
    expect(npsScore([10, 10, 6]).score).toBe(33.3)
    expect(npsScore([]).score).toBeNull()
    expect(npsScore([11, -1, 8.5]).responses).toBe(0)
  })

  it('computes CSAT as % of 4–5 and CES as the mean', () => {
    expect(csatScore([5, 4, 2, 1])).toEqual({ score: 50, satisfied: 2, responses: 4 })
    expect(csatScore([4, 4, 3]).score).toBe(66.7)
    expect(csatScore([0, 6]).score).toBeNull()
    expect(cesScore([7, 5, 6])).toEqual({ average: 6, responses: 3 })
    expect(cesScore([1, 2]).average).toBe(1.5)
    expect(cesScore([]).average).toBeNull()
  })
})

describe('satisfaction KPIs from events', () => {
  const events = [
    survey('a', 'nps', 10, '2025-01-05T00:00:00Z'),
    survey('b', 'nps', 3, '2025-01-20T00:00:00Z'),
    survey('a', 'csat', 5, '2025-02-01T00:00:00Z'),
    survey('b', 'csat', 2, '2025-03-03T00:00:00Z'),
    survey('c', 'ces', 6, '2025-03-04T00:00:00Z'),
    survey('c', 'csat', 9, '2025-03-04T00:00:00Z'), // invalid: skipped
    { contactId: 'x', event: 'Page Engaged', timestamp: '2025-01-01T00:00:00Z', properties: {} },
  ]

  it('summarises every valid response in the range', () => {
    const all = satisfactionKpis(events)
    expect([all.nps.score, all.csat.score, all.ces.average]).toEqual([0, 50, 6])
    expect(all.csat.responses).toBe(2)
    const q = satisfactionKpis(events, { from: '2025-02-01T00:00:00Z', to: '2025-03-01' })
    expect([q.nps.responses, q.csat.score]).toEqual([0, 100])
  })

  it('gives one row per period, empty periods included', () => {
    const rows = satisfactionOverTime(events, { period: 'month', to: '2025-04-15T00:00:00Z' })
    expect(rows.map((r) => [r.period, r.nps.score, r.csat.score, r.ces.average])).toEqual([
      ['2025-01', 0, null, null],
      ['2025-02', null, 100, null],
      ['2025-03', null, 0, 6],
      ['2025-04', null, null, null],
    ])
    expect(satisfactionOverTime([], { period: 'month' })).toEqual([])
    expect(() => satisfactionOverTime(events, { period: 'month', from: 'soon' })).toThrow(
      LifecycleError,
    )
  })
})

describe('retention', () => {
  it('is the share of last period’s buyers who bought again', () => {
    const events = [
      order('a', '2025-01-03T00:00:00Z'),
      order('b', '2025-01-09T00:00:00Z'),
      order('c', '2025-01-20T00:00:00Z'),
      order('c', '2025-01-21T00:00:00Z'),
      order('a', '2025-02-02T00:00:00Z'),
      order('c', '2025-02-11T00:00:00Z'),
      order('d', '2025-02-12T00:00:00Z'),
      order('d', '2025-04-01T00:00:00Z'),
      survey('a', 'nps', 9, '2025-03-01T00:00:00Z'),
    ]
    expect(retentionOverTime(events, { period: 'month' })).toEqual([
      { period: '2025-01', active: 3, retained: 0, rate: null },
      { period: '2025-02', active: 3, retained: 2, rate: 0.667 },
      { period: '2025-03', active: 0, retained: 0, rate: 0 },
      { period: '2025-04', active: 1, retained: 0, rate: null },
    ])
    const quarters = retentionOverTime(events, { period: 'quarter' })
    expect(quarters.map((q) => [q.period, q.active, q.rate])).toEqual([
      ['2025-Q1', 4, null],
      ['2025-Q2', 1, 0.25],
    ])
  })

  it('can count other purchase events, such as won deals', () => {
    const deal = (id: string, t: string): KpiEvent => ({
      contactId: id,
      event: 'Deal Won',
      timestamp: t,
    })
    const rows = retentionOverTime([deal('a', '2024-03-01'), deal('a', '2025-03-01')], {
      period: 'year',
      purchaseEvents: ['Deal Won'],
    })
    expect(rows).toEqual([
      { period: '2024', active: 1, retained: 0, rate: null },
      { period: '2025', active: 1, retained: 1, rate: 1 },
    ])
  })
})

describe('periods', () => {
  it.each([
    ['2025-05-14T10:00:00Z', 'day', '2025-05-14'],
    ['2025-05-14T10:00:00Z', 'week', '2025-05-12'],
    ['2025-05-11T23:59:59Z', 'week', '2025-05-05'],
    ['2025-05-14T10:00:00Z', 'month', '2025-05'],
    ['2025-05-14T10:00:00Z', 'quarter', '2025-Q2'],
    ['2025-12-31T23:59:59Z', 'quarter', '2025-Q4'],
    ['2025-05-14T10:00:00Z', 'year', '2025'],
  ] as const)('%s in a %s is %s', (t, period, label) => {
    expect(periodLabel(Date.parse(t), period)).toBe(label)
  })

  it('lists consecutive periods and refuses unbounded ranges', () => {
    expect(periodRange(Date.parse('2024-12-30'), Date.parse('2025-01-13'), 'week')).toEqual([
      '2024-12-30',
      '2025-01-06',
      '2025-01-13',
    ])
    expect(() => periodRange(0, Date.parse('2025-01-01'), 'day')).toThrow(LifecycleError)
    expect(() => periodRange(0, 1, 'decade' as never)).toThrow(LifecycleError)
  })
})
