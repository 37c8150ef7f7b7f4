import { describe, expect, it } from 'vitest'
import { LifecycleError } from './errors.js'
import {
  evaluateAlerts,
  parseAlertRules,
  ticketCreationTimes,
  type AlertRule,
  type AlertSnapshot,
  type AlertState,
} from './alerts.js'

const rules = parseAlertRules([
  { id: 'csat', kind: 'satisfaction_below', metric: 'csat', threshold: 3, name: 'Unhappy' },
  { id: 'nps', kind: 'satisfaction_below', metric: 'nps', threshold: 7 },
  { id: 'tickets', kind: 'tickets_within', count: 3, windowDays: 7 },
  { id: 'churn', kind: 'churn_risk_above', threshold: 60 },
  { id: 'hot', kind: 'grade_became', grade: 'hot' },
])

/** Feeds snapshots through the evaluator as the collector would, carrying state. */
function run(
  rulesIn: readonly AlertRule[],
  snapshots: AlertSnapshot[],
  now = '2025-06-30T00:00:00Z',
) {
  let state: AlertState = {}
  let before: AlertSnapshot | undefined
  return snapshots.map((after) => {
    const r = evaluateAlerts(rulesIn, { before, after, state, now })
    state = r.state
    before = after
    return r.fired.map((f) => f.ruleId)
  })
}

describe('alerts', () => {
  it('fires once per crossing of a satisfaction threshold', () => {
    const csat = (v: number | null) => ({ traits: { csat: v } })
    expect(run(rules, [csat(null), csat(4), csat(2), csat(1), csat(2), csat(3), csat(2)])).toEqual([
      [],
      [],
      ['csat'],
      [],
      [],
      [],
      ['csat'],
    ])
  })

  it('describes what crossed', () => {
    const r = evaluateAlerts(rules, {
      after: { traits: { csat: 2, churnRisk: 65 }, grade: 'Hot' },
      now: '2025-06-30T00:00:00Z',
    })
    expect(r.fired).toEqual([
      {
        ruleId: 'csat',
        kind: 'satisfaction_below',
        name: 'Unhappy',
        at: '2025-06-30T00:00:00.000Z',
        value: 2,
        message: 'CSAT 2 is below 3',
      },
      expect.objectContaining({ ruleId: 'churn', value: 65, message: 'Churn risk 65 is above 60' }),
      expect.objectContaining({ ruleId: 'hot', value: 'Hot', message: 'Grade became Hot' }),
    ])
    expect(r.state.csat).toEqual({ active: true, since: '2025-06-30T00:00:00.000Z' })
    expect(r.state.nps).toEqual({ active: false, since: null })
  })

  it('fires when N tickets fall within the window, and again only after the burst has passed', () => {
    const at = (...days: number[]) => ({
      ticketCreatedAt: days.map((d) => `2025-06-${String(d).padStart(2, '0')}T00:00:00Z`),
    })
    const tickets = rules.filter((r) => r.id === 'tickets')
    const step = (state: AlertState, snap: AlertSnapshot, now: string) =>
      evaluateAlerts(tickets, { after: snap, state, now })
    let r = step({}, at(1, 2), '2025-06-03T00:00:00Z')
    expect(r.fired).toEqual([])
    r = step(r.state, at(1, 2, 3), '2025-06-03T00:00:00Z')
    expect(r.fired.map((f) => f.value)).toEqual([3])
    r = step(r.state, at(1, 2, 3, 4), '2025-06-04T00:00:00Z')
    expect(r.fired).toEqual([])
    r = step(r.state, at(1, 2, 3, 4), '2025-06-20T00:00:00Z')
    expect([r.fired, r.state.tickets?.active]).toEqual([[], false])
    r = step(r.state, at(1, 2, 3, 4, 20, 21, 22), '2025-06-22T00:00:00Z')
    expect(r.fired.map((f) => f.message)).toEqual(['3 tickets within 7 days'])
  })

  it('fires for churn risk strictly above and grade changes to the target', () => {
    const snaps = [
      { traits: { churnRisk: 60 }, grade: 'warm' },
      { traits: { churnRisk: 61 }, grade: 'hot' },
      { traits: { churnRisk: 90 }, grade: 'hot' },
      { traits: { churnRisk: 10 }, grade: 'warm' },
      { traits: { churnRisk: 70 }, grade: 'HOT' },
    ]
    expect(run(rules, snaps)).toEqual([[], ['churn', 'hot'], [], [], ['churn', 'hot']])
  })

  it('uses `before` when the state does not know a rule yet (a rule added later)', () => {
    const before = { traits: { csat: 1 } }
    const after = { traits: { csat: 2 } }
    const now = '2025-06-30T00:00:00Z'
    expect(evaluateAlerts(rules, { before, after, now }).fired).toEqual([])
    expect(evaluateAlerts(rules, { before, after, now, state: {} }).fired).toEqual([])
    const known = { csat: { active: false, since: null } }
    expect(evaluateAlerts(rules, { before, after, now, state: known }).fired).toHaveLength(1)
  })

  it('keeps the time a condition started and drops state of deleted rules', () => {
    const first = evaluateAlerts(rules, {
      after: { traits: { csat: 1 } },
      now: '2025-06-01T00:00:00Z',
    })
    const second = evaluateAlerts(rules.slice(0, 1), {
      after: { traits: { csat: 2 } },
      state: { ...first.state, gone: { active: true, since: null } },
      now: '2025-06-02T00:00:00Z',
    })
    expect(second.state).toEqual({ csat: { active: true, since: '2025-06-01T00:00:00.000Z' } })
  })

  it('ignores state keys inherited from prototypes', () => {
    const r = evaluateAlerts([{ id: 'constructor', kind: 'churn_risk_above', threshold: 1 }], {
      after: { traits: { churnRisk: 50 } },
      state: {},
      now: '2025-06-01T00:00:00Z',
    })
    expect(r.fired).toHaveLength(1)
  })

  it('derives ticket creation times from events', () => {
    const times = ticketCreationTimes([
      {
        event: 'Ticket Created',
        timestamp: '2025-06-02T00:00:00Z',
        properties: { ticketId: 'b', category: 'x' },
      },
      {
        event: 'Ticket Created',
        timestamp: '2025-06-01T00:00:00Z',
        properties: { ticketId: 'a', category: 'x' },
      },
      {
        event: 'Ticket Resolved',
        timestamp: '2025-06-03T00:00:00Z',
        properties: { ticketId: 'a' },
      },
    ])
    expect(times).toEqual([Date.parse('2025-06-01T00:00:00Z'), Date.parse('2025-06-02T00:00:00Z')])
  })

  it('validates rules', () => {
    const bad = (input: unknown) => {
      try {
        parseAlertRules(input)
      } catch (e) {
        return e instanceof LifecycleError ? e.code : 'other'
      }
      return 'ok'
    }
    expect(bad([{ id: 'a', kind: 'satisfaction_below', metric: 'stars', threshold: 3 }])).toBe(
      'invalid_alert_rule',
    )
    expect(bad([{ id: 'a', kind: 'tickets_within', count: 0, windowDays: 7 }])).toBe(
      'invalid_alert_rule',
    )
    expect(bad([{ id: 'a', kind: 'churn_risk_above', threshold: 101 }])).toBe('invalid_alert_rule')
    expect(bad([{ id: 'a', kind: 'explode' }])).toBe('invalid_alert_rule')
    expect(bad('nope')).toBe('invalid_alert_rule')
    const dup = { id: 'a', kind: 'grade_became', grade: 'hot' }
    expect(bad([dup, dup])).toBe('invalid_alert_rule')
    expect(bad([dup])).toBe('ok')
    expect(bad([{ ...dup, id: '__proto__' }])).toBe('invalid_alert_rule')
    expect(bad([{ ...dup, id: 'constructor' }])).toBe('invalid_alert_rule')
  })
})
