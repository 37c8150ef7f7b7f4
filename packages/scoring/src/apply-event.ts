import type { CompiledRule } from './compile-rules.js'
import { applySessionCount, applyWindowCount, closeIdleSession } from './counts.js'
import { compareIds, toView, type ScoringEvent } from './event.js'
import { checkState, draftState, type ScoreState } from './state.js'
import { tryAward, type Award } from './tally.js'

export interface ApplyResult {
  state: ScoreState
  /** Rules this event fired (including "fewer than N in a session" rules judged now). */
  awards: Award[]
  /**
   * The event sorts before the latest one already applied. Caps and windows are judged by
   * timestamps, but the state keeps only recent counters, so for an exact result the caller
   * should replay the contact's events (the collector does this on out-of-order arrival).
   */
  late: boolean
  /** Same timestamp and messageId as the latest event applied: nothing was changed. */
  duplicate: boolean
}

export function applyEventWith(
  rules: readonly CompiledRule[],
  halfLifeMs: number | null,
  stateIn: ScoreState | null | undefined,
  event: ScoringEvent,
): ApplyResult {
  const state = checkState(stateIn)
  const view = toView(event)
  const last = state.last
  const order = last ? view.at - last.at || compareIds(view.id, last.id) : 1
  if (order === 0 && view.id !== '') return { state, awards: [], late: false, duplicate: true }
  const late = order < 0

  const draft = draftState(state)
  const latestAt = late && last ? last.at : view.at
  const awards: Award[] = []
  const push = (award: Award | null): void => {
    if (award) awards.push(award)
  }
  for (const rule of rules) {
    if (rule.kind === 'fit') continue
    const count = rule.count
    if (!count) {
      if (rule.trigger(view)) push(tryAward(draft, rule, view.at, halfLifeMs))
    } else if (count.windowMs === null) {
      push(closeIdleSession(draft, rule, count, view.at, halfLifeMs))
      push(applySessionCount(draft, rule, count, view, halfLifeMs))
    } else {
      push(applyWindowCount(draft, rule, count, view, latestAt, halfLifeMs))
    }
  }
  if (!late) draft.last = { at: view.at, id: view.id }
  return { state: draft, awards, late, duplicate: false }
}
