import { describe, expect, it } from 'vitest'
import {
  LIFECYCLE_EVENT_NAMES,
  LIFECYCLE_EVENT_SCHEMAS,
  isLifecycleEvent,
  parseLifecycleProperties,
  surveyRespondedPropertiesSchema,
} from './lifecycle.js'
import { SEMANTIC_EVENTS } from './semantic.js'

const issuePaths = (name: string, props: unknown) => {
  const r = parseLifecycleProperties(name, props)
  if (!r || r.success) return []
  return r.error.issues.map((i) => i.path.join('.'))
}

describe('lifecycle event schemas', () => {
  it('covers exactly the lifecycle names listed in SEMANTIC_EVENTS', () => {
    const semantic = [
      SEMANTIC_EVENTS.dealWon,
      SEMANTIC_EVENTS.dealLost,
      SEMANTIC_EVENTS.orderCompleted,
      SEMANTIC_EVENTS.ticketCreated,
      SEMANTIC_EVENTS.ticketResolved,
      SEMANTIC_EVENTS.surveyResponded,
    ]
    expect([...LIFECYCLE_EVENT_NAMES].sort()).toEqual([...semantic].sort())
  })

  it('accepts a deal, normalising numeric ids and lower-case currency', () => {
    const r = LIFECYCLE_EVENT_SCHEMAS['Deal Won'].parse({
      dealId: 42,
      amount: 1200.5,
      currency: 'eur',
      reason: 'Price',
      stage: 'closed',
    })
    expect(r).toEqual({
      dealId: '42',
      amount: 1200.5,
      currency: 'EUR',
      reason: 'Price',
      stage: 'closed',
    })
  })

  it('rejects negative amounts, bad currencies and missing ids', () => {
    expect(issuePaths('Deal Lost', { dealId: 'd1', amount: -1, currency: 'USD' })).toEqual([
      'amount',
    ])
    expect(issuePaths('Deal Lost', { dealId: 'd1', amount: 1, currency: 'US$' })).toEqual([
      'currency',
    ])
    expect(issuePaths('Deal Won', { amount: 1, currency: 'USD' })).toEqual(['dealId'])
    expect(issuePaths('Deal Won', { dealId: ' ', amount: 1, currency: 'USD' })).toEqual(['dealId'])
    expect(issuePaths('Deal Won', { dealId: 'x', amount: Infinity, currency: 'USD' })).toEqual([
      'amount',
    ])
  })

  it('needs revenue or total on an order', () => {
    expect(issuePaths('Order Completed', { orderId: 'o1', currency: 'USD' })).toEqual(['revenue'])
    expect(issuePaths('Order Completed', { orderId: 'o1', currency: 'USD', total: 10 })).toEqual([])
    expect(
      issuePaths('Order Completed', {
        orderId: 'o1',
        currency: 'USD',
        revenue: 10,
        products: [{ productId: 7, price: -2 }],
      }),
    ).toEqual(['products.0.price'])
  })

  it('validates tickets and normalises priority', () => {
    const created = LIFECYCLE_EVENT_SCHEMAS['Ticket Created'].parse({
      ticketId: 9,
      category: 'Billing',
      priority: ' HIGH ',
    })
    expect(created).toMatchObject({ ticketId: '9', priority: 'high' })
    expect(issuePaths('Ticket Created', { ticketId: 't', category: 'x', priority: 'p1' })).toEqual([
      'priority',
    ])
    expect(issuePaths('Ticket Created', { ticketId: 't' })).toEqual(['category'])
    expect(issuePaths('Ticket Resolved', { ticketId: 't', resolutionMinutes: -5 })).toEqual([
      'resolutionMinutes',
    ])
    expect(issuePaths('Ticket Resolved', { ticketId: 't', resolutionMinutes: 90 })).toEqual([])
  })

  it.each([
    ['nps', 0, true],
    ['nps', 10, true],
    ['nps', 11, false],
    ['nps', -1, false],
    ['csat', 0, false],
    ['csat', 1, true],
    ['csat', 5, true],
    ['csat', 6, false],
    ['ces', 7, true],
    ['ces', 8, false],
    ['nps', 7.5, false],
  ])('survey %s score %d valid=%s', (kind, score, ok) => {
    expect(surveyRespondedPropertiesSchema.safeParse({ kind, score }).success).toBe(ok)
  })

  it('rejects unknown survey kinds and keeps comment and reason', () => {
    expect(issuePaths('Survey Responded', { kind: 'stars', score: 3 })).toEqual(['kind'])
    const r = surveyRespondedPropertiesSchema.parse({
      kind: 'csat',
      score: 2,
      comment: 'slow support',
      reason: ' Poor support ',
    })
    expect(r).toMatchObject({
      kind: 'csat',
      score: 2,
      comment: 'slow support',
      reason: 'Poor support',
    })
  })

  it('ignores events that are not lifecycle events', () => {
    expect(isLifecycleEvent('Deal Won')).toBe(true)
    expect(isLifecycleEvent('toString')).toBe(false)
    expect(isLifecycleEvent('Page Engaged')).toBe(false)
    expect(parseLifecycleProperties('Page Engaged', {})).toBeNull()
    expect(parseLifecycleProperties('__proto__', {})).toBeNull()
  })
})
