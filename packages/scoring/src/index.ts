export { createScorer, type Scorer } from './scorer.js'
export { validateRules } from './validate-rules.js'
export { DEFAULT_RULES } from './default-rules.js'
export { ScoringError, type ScoringErrorCode, type ScoringIssue } from './errors.js'
export { emptyScoreState, type ScoreState, type RuleTally, type SessionTally } from './state.js'
export { compareEvents, type ScoringEvent } from './event.js'
export type { ApplyResult } from './apply-event.js'
export type { Award } from './tally.js'
export type { BreakdownEntry, Score, Traits } from './score.js'
export {
  ruleSetSchema,
  ruleSchema,
  type Caps,
  type EngagementRule,
  type FitRule,
  type Grade,
  type Rule,
  type RuleSet,
} from './rule-schema.js'
export type {
  CountCondition,
  EngagementConditions,
  EventMatcher,
  EventType,
  FitConditions,
  UrlPattern,
} from './condition-schema.js'
export type { FieldTests, Predicate, PredicateObject } from './predicate-schema.js'
export {
  SCORE_EPOCH_MS,
  elapsedHalfLives,
  engagementFromKey,
  engagementKey,
  nextCrossing,
  scoreFromKey,
  type ScoreNow,
} from './score-key.js'
export { buyingRole, DECISION_MAKER_TITLES, INFLUENCER_TITLES, type BuyingRole } from './titles.js'
// The condition language, for other features that select contacts with it (segments).
export { fieldTestsSchema, predicateObjectSchema } from './predicate-schema.js'
export { durationMs, eventMatcherSchema } from './condition-schema.js'
export { compileFieldTests, compileMatcher, type EventTest, type RecordTest } from './matcher.js'
export { toView, type EventView } from './event.js'
