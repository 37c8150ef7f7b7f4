import { describe, expect, it } from 'vitest'
import { LifecycleError } from './errors.js'
import { canonicaliseEventReason, reasonKindsFor } from './event-reasons.js'
import {
  DEFAULT_REASONS,
  REASON_KINDS,
  createReasonLists,
  matchReason,
  reasonKey,
  resolveReason,
} from './reasons.js'

const thrown = (fn: () => unknown): LifecycleError => {
  try {
    fn()
  } catch (e) {
    if (e instanceof LifecycleError) return e
    throw e
  }
  throw new Error('expected a LifecycleError')
}

describe('reason lists', () => {
  it('has non-empty default lists for every kind, with unique keys', () => {
    for (const kind of REASON_KINDS) {
      const list = DEFAULT_REASONS[kind]
      expect(list.length).toBeGreaterThan(3)
      expect(new Set(list.map(reasonKey)).size).toBe(list.length)
    }
  })

  it('matches case- and whitespace-insensitively to the canonical label', () => {
    expect(matchReason(DEFAULT_REASONS, 'lost', '  chose   A competitor ')).toBe(
      'Chose a competitor',
    )
    expect(matchReason(DEFAULT_REASONS, 'lost', 'PRICE')).toBe('Price')
    expect(matchReason(DEFAULT_REASONS, 'lost', 'Prices')).toBeNull()
    expect(matchReason(DEFAULT_REASONS, ['won', 'satisfied'], 'ease of use')).toBe('Ease of use')
  })

  it('rejects an unknown reason with the allowed values in the error', () => {
    const e = thrown(() => resolveReason(DEFAULT_REASONS, 'won', 'Luck'))
    expect(e.code).toBe('unknown_reason')
    expect(e.details.allowed).toEqual(DEFAULT_REASONS.won)
    expect(e.message).toContain('Referral')
    const both = thrown(() => resolveReason(DEFAULT_REASONS, ['satisfied', 'churn'], 'x'))
    expect(both.details.allowed).toContain('Ease of use')
    expect(both.details.allowed).toContain('Poor support')
    // `Support` and `Features` are in several lists but listed once.
    const allowed = both.details.allowed as string[]
    expect(new Set(allowed).size).toBe(allowed.length)
  })

  it('builds workspace lists, keeping defaults for kinds left out', () => {
    const lists = createReasonLists({ lost: [' Legal  review ', 'Price'] })
    expect(lists.lost).toEqual(['Legal review', 'Price'])
    expect(lists.won).toEqual(DEFAULT_REASONS.won)
    expect(resolveReason(lists, 'lost', 'legal review')).toBe('Legal review')
    expect(() => resolveReason(lists, 'lost', 'No budget')).toThrow(LifecycleError)
  })

  it.each([
    [{ lost: [] }, 'must hold'],
    [{ lost: 'Price' }, 'must hold'],
    [{ lost: ['Price', ' price '] }, 'duplicates'],
    [{ lost: ['  '] }, 'characters'],
    [{ lost: [42] }, 'characters'],
    [{ happy: ['x'] }, 'Unknown reason kind'],
  ])('refuses bad lists %j', (input, message) => {
    const e = thrown(() => createReasonLists(input as never))
    expect(e.code).toBe('invalid_reason_list')
    expect(e.message).toContain(message)
  })
})

it('treats an own __proto__ key as an unknown kind', () => {
  const e = thrown(() => createReasonLists(JSON.parse('{"__proto__": ["x"]}')))
  expect(e.code).toBe('invalid_reason_list')
  expect(Object.getPrototypeOf(createReasonLists())).toBe(Object.prototype)
})

describe('event reasons', () => {
  it.each([
    ['Deal Won', {}, ['won']],
    ['Deal Lost', {}, ['lost']],
    ['Order Completed', {}, []],
    ['Survey Responded', { kind: 'nps', score: 10 }, ['satisfied']],
    ['Survey Responded', { kind: 'nps', score: 7 }, ['satisfied', 'churn']],
    ['Survey Responded', { kind: 'nps', score: 3 }, ['churn']],
    ['Survey Responded', { kind: 'csat', score: 2 }, ['churn']],
    ['Survey Responded', { kind: 'csat', score: 4 }, ['satisfied']],
    ['Survey Responded', { kind: 'ces', score: 6 }, ['satisfied']],
    ['Survey Responded', { kind: 'ces', score: 1 }, ['churn']],
  ])('%s %j uses %j', (event, props, kinds) => {
    expect(reasonKindsFor(event, props)).toEqual(kinds)
  })

  it('canonicalises the reason of a deal or survey, without mutating the input', () => {
    const props = { dealId: 'd1', amount: 10, currency: 'USD', reason: 'no BUDGET' }
    const out = canonicaliseEventReason(DEFAULT_REASONS, 'Deal Lost', props)
    expect(out.reason).toBe('No budget')
    expect(props.reason).toBe('no BUDGET')
    const survey = { kind: 'csat', score: 1, reason: 'Switched to a competitor' }
    expect(canonicaliseEventReason(DEFAULT_REASONS, 'Survey Responded', survey).reason).toBe(
      'Switched to a competitor',
    )
    expect(() =>
      canonicaliseEventReason(DEFAULT_REASONS, 'Survey Responded', { ...survey, reason: 'Luck' }),
    ).toThrow(/Allowed: .*Poor support/)
  })

  it('passes events without a reason through', () => {
    const props = { dealId: 'd1', amount: 10, currency: 'USD' }
    expect(canonicaliseEventReason(DEFAULT_REASONS, 'Deal Won', props)).toBe(props)
    const order = { orderId: 'o', reason: 'whatever' }
    expect(canonicaliseEventReason(DEFAULT_REASONS, 'Order Completed', order)).toBe(order)
  })
})
