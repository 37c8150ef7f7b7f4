import { applyEventWith, type ApplyResult } from './apply-event.js'
import { compileRules } from './compile-rules.js'
import { compareEvents, type ScoringEvent } from './event.js'
import { fingerprint } from './fingerprint.js'
import type { RuleSet } from './rule-schema.js'
import { scoreWith, type Score, type Traits } from './score.js'
import { emptyScoreState, type ScoreState } from './state.js'
import { validateRules } from './validate-rules.js'

const DAY_MS = 86_400_000

export interface Scorer {
  /** The validated rule set. */
  readonly ruleSet: RuleSet
  /** Digest of the rule set: store it with a state to know when a rescore is due. */
  readonly fingerprint: string
  /** Grade names from lowest to highest, to tell a rise from a fall. */
  readonly grades: readonly string[]
  /** Folds one event into a contact's state. `state` may be null for a new contact. */
  applyEvent(state: ScoreState | null | undefined, event: ScoringEvent): ApplyResult
  /** Builds a state from scratch; sorts a copy of `events` into the collector's order first. */
  replay(events: Iterable<ScoringEvent>): ScoreState
  /** Scores a state against the contact's current traits at time `now`. */
  score(
    state: ScoreState | null | undefined,
    traits: Traits | null | undefined,
    now: Date | string | number,
  ): Score
}

/**
 * Validates and compiles a rule set once (patterns are precompiled) and returns a pure scorer.
 * Throws a `ScoringError` with code `invalid_rules` when the document is invalid.
 *
 * @example
 * const scorer = createScorer(DEFAULT_RULES)
 * let state = null
 * for (const event of newEvents) {
 *   const result = scorer.applyEvent(state, event)
 *   state = result.late ? scorer.replay(allEventsOfContact) : result.state
 * }
 * const { total, grade, breakdown } = scorer.score(state, contact.traits, clock.now())
 */
export function createScorer(input: RuleSet | unknown): Scorer {
  const ruleSet = validateRules(input)
  const rules = compileRules(ruleSet)
  const halfLifeMs = ruleSet.halfLifeDays === null ? null : ruleSet.halfLifeDays * DAY_MS
  const applyEvent = (state: ScoreState | null | undefined, event: ScoringEvent): ApplyResult =>
    applyEventWith(rules, halfLifeMs, state, event)
  return {
    ruleSet,
    fingerprint: fingerprint(ruleSet),
    grades: ruleSet.grades.map((g) => g.name),
    applyEvent,
    replay(events) {
      let state = emptyScoreState()
      for (const event of [...events].sort(compareEvents)) state = applyEvent(state, event).state
      return state
    },
    score: (state, traits, now) => scoreWith(rules, halfLifeMs, ruleSet.grades, state, traits, now),
  }
}
