// Event builders shared by this package's tests (not exported from the package).
import type { ScoringEvent } from './event.js'
import type { Rule, RuleSet } from './rule-schema.js'

export const T0 = Date.UTC(2025, 0, 6, 9, 0, 0) // a Monday, 09:00 UTC
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

let seq = 0

export function at(ms: number): string {
  return new Date(ms).toISOString()
}

export function page(url: string, time: number, extra: Partial<ScoringEvent> = {}): ScoringEvent {
  return {
    type: 'page',
    properties: { url },
    timestamp: at(time),
    messageId: `p${++seq}`,
    ...extra,
  }
}

export function track(
  event: string,
  time: number,
  properties: Record<string, unknown> = {},
  pageUrl?: string,
): ScoringEvent {
  return {
    type: 'track',
    event,
    properties,
    context: pageUrl ? { page: { url: pageUrl } } : {},
    timestamp: at(time),
    messageId: `t${++seq}`,
  }
}

/** A rule set holding just the given rules, no decay unless asked. */
export function ruleSet(rules: Rule[], halfLifeDays: number | null = null): RuleSet {
  return {
    halfLifeDays,
    grades: [{ name: 'cold' }, { name: 'warm', min: 20 }, { name: 'hot', min: 50 }],
    rules,
  }
}
