import { durationMs, hasMatcherKeys, type FitConditions } from './condition-schema.js'
import { compileFieldTests, compileMatcher, type EventTest, type RecordTest } from './matcher.js'
import type { Caps, EngagementRule, FitRule, RuleSet } from './rule-schema.js'

const DEFAULT_SESSION_GAP_MINUTES = 30

export interface CompiledCount {
  /** Which events are counted. */
  counted: EventTest
  atLeast: number | null
  fewerThan: number | null
  /** Trailing window length, or null for "in a session". */
  windowMs: number | null
  sessionGapMs: number
  /** "fewer than N in a session" can only be judged once the session is over. */
  atSessionEnd: boolean
  /** How many recent timestamps the window counter must remember. */
  keep: number
}

export interface CompiledEngagementRule {
  kind: 'engagement'
  id: string
  name: string
  points: number
  caps: Caps | null
  /** Which events can trigger the rule. */
  trigger: EventTest
  count: CompiledCount | null
}

export interface CompiledFitRule {
  kind: 'fit'
  id: string
  name: string
  points: number
  test: RecordTest
}

export type CompiledRule = CompiledEngagementRule | CompiledFitRule

/** Compiles enabled rules in document order; disabled rules are left out entirely. */
export function compileRules(ruleSet: RuleSet): CompiledRule[] {
  return ruleSet.rules
    .filter((rule) => rule.enabled !== false)
    .map((rule) => (rule.kind === 'fit' ? compileFitRule(rule) : compileEngagementRule(rule)))
}

function compileFitRule(rule: FitRule): CompiledFitRule {
  return {
    kind: 'fit',
    id: rule.id,
    name: rule.name,
    points: rule.points,
    test: compileFit(rule.conditions),
  }
}

function compileFit(conditions: FitConditions): RecordTest {
  const traits = conditions.traits ? compileFieldTests(conditions.traits) : null
  const branches = conditions.anyOf?.map(compileFit) ?? null
  return (source) =>
    (traits === null || traits(source)) && (branches === null || branches.some((b) => b(source)))
}

function compileEngagementRule(rule: EngagementRule): CompiledEngagementRule {
  const { count, ...matcher } = rule.conditions
  const ruleMatcher = hasMatcherKeys(matcher) ? compileMatcher(matcher) : null
  const counted = count?.of ? compileMatcher(count.of) : ruleMatcher
  const always: EventTest = () => true
  let compiledCount: CompiledCount | null = null
  if (count) {
    const windowMs = durationMs(count.within)
    compiledCount = {
      counted: counted ?? always,
      atLeast: count.atLeast ?? null,
      fewerThan: count.fewerThan ?? null,
      windowMs,
      sessionGapMs: (count.sessionGapMinutes ?? DEFAULT_SESSION_GAP_MINUTES) * 60_000,
      atSessionEnd: windowMs === null && count.fewerThan !== undefined,
      keep: count.atLeast ?? count.fewerThan ?? 1,
    }
  }
  return {
    kind: 'engagement',
    id: rule.id,
    name: rule.name,
    points: rule.points,
    caps: rule.caps ?? null,
    trigger: ruleMatcher ?? counted ?? always,
    count: compiledCount,
  }
}
