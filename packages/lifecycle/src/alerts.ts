import type { AlertRule } from './alert-rules.js'
import type { ComputedTraits } from './computed-trait-names.js'
import { collectFacts, type LifecycleEventInput } from './lifecycle-facts.js'

export { alertRuleSchema, parseAlertRules, type AlertRule } from './alert-rules.js'

/** What alert rules look at, for one contact at one moment. */
export interface AlertSnapshot {
  traits?: Partial<Pick<ComputedTraits, 'csat' | 'nps' | 'ces' | 'churnRisk'>>
  /** Score grade, e.g. 'cold' | 'warm' | 'hot'. */
  grade?: string | null
  /** Creation times of the contact's tickets (see {@link ticketCreationTimes}). */
  ticketCreatedAt?: readonly (string | number)[]
}

/** Per-contact, per-rule memory of whether the condition held, so each crossing fires once. */
export type AlertState = Record<string, { active: boolean; since: string | null }>

export interface FiredAlert {
  ruleId: string
  kind: AlertRule['kind']
  name: string | null
  at: string
  /** The value that crossed (score, ticket count, risk or grade). */
  value: number | string
  message: string
}

export interface AlertEvaluation {
  fired: FiredAlert[]
  state: AlertState
}

/**
 * Evaluates rules on the values after an event. A rule fires when its condition holds now
 * and did not hold before: "before" comes from `state` when it knows the rule, else from
 * `before`. The returned state (JSON) must be stored and passed to the next call.
 * @example
 * const { fired, state } = evaluateAlerts(rules, {
 *   before: { traits: oldTraits }, after: { traits: newTraits }, state: saved, now: new Date() })
 */
export function evaluateAlerts(
  rules: readonly AlertRule[],
  input: { before?: AlertSnapshot; after: AlertSnapshot; state?: AlertState; now: Date | string },
): AlertEvaluation {
  const now = new Date(input.now)
  const at = now.toISOString()
  const fired: FiredAlert[] = []
  const state: AlertState = {}
  for (const rule of rules) {
    const known = input.state && Object.hasOwn(input.state, rule.id) ? input.state[rule.id] : null
    const was = known
      ? known.active
      : input.before
        ? check(rule, input.before, now) !== null
        : false
    const hit = check(rule, input.after, now)
    if (hit !== null && !was) {
      fired.push({ ruleId: rule.id, kind: rule.kind, name: rule.name ?? null, at, ...hit })
    }
    state[rule.id] = {
      active: hit !== null,
      since: hit === null ? null : was ? (known?.since ?? at) : at,
    }
  }
  return { fired, state }
}

type Hit = { value: number | string; message: string } | null

const LABELS = { csat: 'CSAT', nps: 'NPS', ces: 'CES' } as const
const DAY = 86_400_000

/**
 * The English message stored with a fired alert, from its rule and the value that crossed. Readers
 * in other languages get it rebuilt from the same parts (the dashboard's alert text).
 */
export function alertMessage(rule: AlertRule, value: number | string): string {
  switch (rule.kind) {
    case 'satisfaction_below':
      return `${LABELS[rule.metric]} ${value} is below ${rule.threshold}`
    case 'churn_risk_above':
      return `Churn risk ${value} is above ${rule.threshold}`
    case 'tickets_within':
      return `${value} tickets within ${rule.windowDays} days`
    case 'grade_became':
      return `Grade became ${value}`
  }
}

function check(rule: AlertRule, s: AlertSnapshot, now: Date): Hit {
  switch (rule.kind) {
    case 'satisfaction_below': {
      const v = s.traits?.[rule.metric]
      if (typeof v !== 'number' || !(v < rule.threshold)) return null
      return { value: v, message: alertMessage(rule, v) }
    }
    case 'churn_risk_above': {
      const v = s.traits?.churnRisk
      if (typeof v !== 'number' || !(v > rule.threshold)) return null
      return { value: v, message: alertMessage(rule, v) }
    }
    case 'tickets_within': {
      const from = now.getTime() - rule.windowDays * DAY
      // Tickets stamped slightly after `now` (client clock skew) still count as recent.
      const n = (s.ticketCreatedAt ?? []).filter((t) => new Date(t).getTime() >= from).length
      if (n < rule.count) return null
      return { value: n, message: alertMessage(rule, n) }
    }
    case 'grade_became': {
      if (s.grade == null || s.grade.toLowerCase() !== rule.grade.toLowerCase()) return null
      return { value: s.grade, message: alertMessage(rule, s.grade) }
    }
  }
}

/**
 * Ticket creation times (ms) from a contact's lifecycle events, for `tickets_within` rules.
 * @example evaluateAlerts(rules, { after: { ticketCreatedAt: ticketCreationTimes(events) }, now })
 */
export function ticketCreationTimes(events: readonly LifecycleEventInput[]): number[] {
  return [...collectFacts(events).tickets.values()].map((t) => t.createdAt).sort((a, b) => a - b)
}
