import {
  engagementKey,
  nextCrossing,
  type ScoreState,
  type ScoringEvent,
  type Scorer,
} from '@lodestone/scoring'
import type { ScoreChange } from '../ports.js'
import type { ContactRow } from './contact.js'

/** A rule set's engagement half-life in milliseconds; null when engagement never decays. */
export const halfLifeOf = (scorer: Scorer): number | null =>
  scorer.ruleSet.halfLifeDays === null ? null : scorer.ruleSet.halfLifeDays * 86_400_000

/** Scores folded in so far, and the contacts that need all their stored events instead. */
export interface ScoreFold {
  states: Map<string, ScoreState | null>
  /** Contacts (of `rows`) to replay from every stored event. */
  replay: string[]
}

/**
 * Folds each contact's new events into its stored score state. A contact is replayed from all
 * its events instead when it is in `replayIds` (it absorbed a merge), was scored under other
 * rules, or got an event older than its latest.
 */
export function foldScores(
  scorer: Scorer,
  rows: readonly ContactRow[],
  newEvents: Map<string, ScoringEvent[]>,
  replayIds: ReadonlySet<string>,
): ScoreFold {
  const states = new Map<string, ScoreState | null>()
  const replay: string[] = []
  for (const row of rows) {
    let state = row.score.state
    let again = replayIds.has(row.id) || (!row.isNew && row.score.rules !== scorer.fingerprint)
    if (!again) {
      for (const e of newEvents.get(row.id) ?? []) {
        const r = scorer.applyEvent(state, e)
        if (r.late) {
          again = true
          break
        }
        state = r.state
      }
    }
    if (again) replay.push(row.id)
    else states.set(row.id, state)
  }
  return { states, replay }
}

/**
 * Sets each row's score from its folded state (or the replay of `replayed` events) at `now`, and
 * returns the rows whose total or grade changed.
 */
export function settleScores(
  scorer: Scorer,
  rows: readonly ContactRow[],
  { states, replay }: ScoreFold,
  replayed: Map<string, ScoringEvent[]>,
  now: Date,
): ScoreChange[] {
  const final = new Map(states)
  for (const id of replay) {
    const events = replayed.get(id)
    if (events) final.set(id, scorer.replay(events))
  }
  const changes: ScoreChange[] = []
  for (const row of rows) {
    const state = final.get(row.id) ?? scorer.replay([])
    const s = scorer.score(state, row.state.traits, now)
    const before = row.score
    const key = engagementKey(s.engagementRaw, now.getTime(), halfLifeOf(scorer))
    row.score = {
      state,
      rules: scorer.fingerprint,
      fit: s.fit,
      engagement: s.engagement,
      total: s.total,
      grade: s.grade,
      key,
      dueAt: scoreDueAt(scorer, state, s.fit, key, now.getTime()),
    }
    row.dirty = true
    // A new contact starts in the lowest grade: reaching it is not a crossing.
    const previousGrade = before.grade ?? scorer.grades[0] ?? null
    if (before.total !== s.total || previousGrade !== s.grade) {
      changes.push({
        contactId: row.id,
        fit: s.fit,
        engagement: s.engagement,
        total: s.total,
        grade: s.grade,
        previousTotal: before.total,
        previousGrade,
        at: now.toISOString(),
      })
    }
  }
  return changes
}

/**
 * When time alone may next change this score: a grade threshold crossed by decay, or an open
 * session that a "fewer than N in a session" rule judges once it has been idle long enough.
 */
export function scoreDueAt(
  scorer: Scorer,
  state: ScoreState,
  fit: number,
  key: number,
  nowMs: number,
  thresholds: readonly number[] = [],
): string | null {
  const mins = scorer.ruleSet.grades.flatMap((g) => (typeof g.min === 'number' ? [g.min] : []))
  let due = nextCrossing(fit, key, nowMs, halfLifeOf(scorer), [...mins, ...thresholds])
  for (const rule of scorer.ruleSet.rules) {
    if (rule.kind !== 'engagement' || rule.enabled === false) continue
    const count = rule.conditions.count
    if (!count || count.within !== 'session' || count.fewerThan === undefined) continue
    const session = state.sessions[rule.id]
    if (!session) continue
    const end = session[1] + (count.sessionGapMinutes ?? 30) * 60_000
    if (due === null || end < due) due = end
  }
  return due === null ? null : new Date(Math.max(due, nowMs + 1000)).toISOString()
}
