import { parseLifecycleProperties } from '@lodestone/protocol'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_REASONS,
  canonicaliseEventReason,
  createTraitComputer,
  evaluateAlerts,
  parseAlertRules,
  ticketCreationTimes,
  type AlertState,
  type ComputedTraits,
  type FiredAlert,
  type LifecycleEventInput,
} from './index.js'

// The wiring the collector does per lifecycle event, end to end but without storage:
// validate → canonical reason → recompute traits → alerts with carried state.
describe('a customer story', () => {
  const rules = parseAlertRules([
    { id: 'csat-low', kind: 'satisfaction_below', metric: 'csat', threshold: 3 },
    { id: 'ticket-burst', kind: 'tickets_within', count: 3, windowDays: 7 },
    { id: 'churn-high', kind: 'churn_risk_above', threshold: 50 },
  ])
  const computer = createTraitComputer()

  function replay(
    sent: { event: string; timestamp: string; properties: Record<string, unknown> }[],
  ) {
    const stored: LifecycleEventInput[] = []
    let state: AlertState = {}
    let traits: ComputedTraits = computer.compute([], sent[0]!.timestamp)
    const fired: FiredAlert[] = []
    const risks: (number | null)[] = []
    for (const e of sent) {
      const parsed = parseLifecycleProperties(e.event, e.properties)
      if (parsed && !parsed.success) throw new Error(`rejected ${e.event}`)
      const properties = canonicaliseEventReason(DEFAULT_REASONS, e.event, parsed!.data as never)
      stored.push({ ...e, properties })
      const before = traits
      traits = computer.compute(stored, e.timestamp)
      const r = evaluateAlerts(rules, {
        before: { traits: before },
        after: { traits, ticketCreatedAt: ticketCreationTimes(stored) },
        state,
        now: e.timestamp,
      })
      state = r.state
      fired.push(...r.fired)
      risks.push(traits.churnRisk)
    }
    return { traits, fired, risks }
  }

  const story = [
    [
      'Deal Won',
      '2025-03-01T09:00:00Z',
      { dealId: 'D-1', amount: 12000, currency: 'usd', reason: 'product FIT' },
    ],
    ['Order Completed', '2025-03-02T09:00:00Z', { orderId: 'O-1', revenue: 400, currency: 'USD' }],
    ['Order Completed', '2025-04-02T09:00:00Z', { orderId: 'O-2', revenue: 200, currency: 'USD' }],
    ['Ticket Created', '2025-04-10T09:00:00Z', { ticketId: 'T-1', category: 'Billing' }],
    ['Ticket Created', '2025-04-12T09:00:00Z', { ticketId: 'T-2', category: 'Bug' }],
    [
      'Ticket Created',
      '2025-04-15T09:00:00Z',
      { ticketId: 'T-3', category: 'Bug', priority: 'High' },
    ],
    [
      'Survey Responded',
      '2025-04-16T09:00:00Z',
      { kind: 'csat', score: 2, reason: 'poor support' },
    ],
    ['Survey Responded', '2025-04-17T09:00:00Z', { kind: 'csat', score: 1 }],
  ].map(([event, timestamp, properties]) => ({
    event: event as string,
    timestamp: timestamp as string,
    properties: properties as Record<string, unknown>,
  }))

  it('ends with the right traits and fires each alert exactly once', () => {
    const { traits, fired, risks } = replay(story)
    expect(traits).toMatchObject({
      orderCount: 2,
      totalRevenue: 600,
      lifetimeValue: 300 * 2 * 3,
      dealsWon: 1,
      dealsWonAmount: 12000,
      ticketsTotal: 3,
      ticketsOpen: 3,
      ticketsLast30Days: 3,
      lastTicketAt: '2025-04-15T09:00:00.000Z',
      csat: 1,
    })
    expect(fired.map((f) => [f.ruleId, f.at])).toEqual([
      ['ticket-burst', '2025-04-15T09:00:00.000Z'],
      ['churn-high', '2025-04-15T09:00:00.000Z'],
      ['csat-low', '2025-04-16T09:00:00.000Z'],
    ])
    expect(risks).toEqual([20, 20, 20, 31, 42, 53, 65, 77])
  })

  it('rejects a survey whose reason is not in the workspace list, naming the allowed ones', () => {
    const bad = [{ ...story[6]!, properties: { kind: 'csat', score: 2, reason: 'moon phase' } }]
    expect(() => replay(bad)).toThrow(/Allowed: .*Poor support/)
  })
})
