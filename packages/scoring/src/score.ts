import type { CompiledRule } from './compile-rules.js'
import { closeIdleSession } from './counts.js'
import { ScoringError } from './errors.js'
import { isoTime } from './iso-time.js'
import type { Grade } from './rule-schema.js'
import { checkState, draftState, entryOf, type ScoreState } from './state.js'
import { decayFactor } from './tally.js'

/** Why a contact has its score: one line per rule that contributed. */
export interface BreakdownEntry {
  rule: string
  name: string
  kind: 'fit' | 'engagement'
  /** Current points: fit points as they are, engagement points decayed to `now`. */
  points: number
  /** Times the rule fired (1 for a matching fit rule). */
  count: number
  /** Latest award (engagement); null for fit rules. */
  lastAt: string | null
  /** Engagement only: the points awarded before decay. */
  awarded?: number
}

export interface Score {
  fit: number
  engagement: number
  total: number
  grade: string
  breakdown: BreakdownEntry[]
  /** Engagement before rounding: what the stored engagement key is made from (score-key.ts). */
  engagementRaw: number
}

export type Traits = Record<string, unknown>

/** Two decimals: enough to show decay, few enough that sums read cleanly. */
export function roundPoints(value: number): number {
  const rounded = Math.round(value * 100) / 100
  return rounded === 0 ? 0 : rounded
}

export function gradeFor(grades: readonly Grade[], total: number): string {
  for (let i = grades.length - 1; i >= 0; i--) {
    const grade = grades[i]!
    if (i === 0 || total >= (grade.min ?? -Infinity)) return grade.name
  }
  return grades[0]?.name ?? ''
}

export function toMillis(now: Date | string | number): number {
  const ms = now instanceof Date ? now.getTime() : typeof now === 'string' ? Date.parse(now) : now
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new ScoringError('invalid_event', 'now must be a Date, an ISO string or epoch ms', [
      { path: 'now', message: 'Invalid time' },
    ])
  }
  return ms
}

export function scoreWith(
  rules: readonly CompiledRule[],
  halfLifeMs: number | null,
  grades: readonly Grade[],
  stateIn: ScoreState | null | undefined,
  traits: Traits | null | undefined,
  now: Date | string | number,
): Score {
  const nowMs = toMillis(now)
  const state = closeIdleSessions(rules, halfLifeMs, checkState(stateIn), nowMs)
  const breakdown: BreakdownEntry[] = []
  let fit = 0
  let engagement = 0
  for (const rule of rules) {
    if (rule.kind === 'fit') {
      if (!rule.test(traits ?? {})) continue
      fit += rule.points
      breakdown.push({
        rule: rule.id,
        name: rule.name,
        kind: rule.kind,
        points: rule.points,
        count: 1,
        lastAt: null,
      })
      continue
    }
    const tally = entryOf(state.tallies, rule.id)
    if (!tally) continue
    const points = tally.value * decayFactor(nowMs - tally.lastAt, halfLifeMs)
    engagement += points
    breakdown.push({
      rule: rule.id,
      name: rule.name,
      kind: rule.kind,
      points: roundPoints(points),
      count: tally.count,
      lastAt: isoTime(tally.lastAt),
      awarded: roundPoints(tally.points),
    })
  }
  const fitPoints = roundPoints(fit)
  const engagementPoints = roundPoints(engagement)
  const total = roundPoints(fitPoints + engagementPoints)
  return {
    fit: fitPoints,
    engagement: engagementPoints,
    total,
    grade: gradeFor(grades, total),
    breakdown,
    engagementRaw: engagement,
  }
}

// Sessions idle at `now` are over: judge them as the next event would, without storing it.
function closeIdleSessions(
  rules: readonly CompiledRule[],
  halfLifeMs: number | null,
  state: ScoreState,
  nowMs: number,
): ScoreState {
  let draft: ScoreState | null = null
  for (const rule of rules) {
    if (rule.kind !== 'engagement' || !rule.count?.atSessionEnd) continue
    const session = entryOf(state.sessions, rule.id)
    if (!session || nowMs - session[1] < rule.count.sessionGapMs) continue
    draft ??= draftState(state)
    closeIdleSession(draft, rule, rule.count, nowMs, halfLifeMs)
  }
  return draft ?? state
}
