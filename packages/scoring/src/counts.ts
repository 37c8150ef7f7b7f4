import type { CompiledCount, CompiledEngagementRule } from './compile-rules.js'
import type { EventView } from './event.js'
import { entryOf, type ScoreState, type SessionTally } from './state.js'
import { tryAward, type Award } from './tally.js'

/**
 * Closes the rule's session if it has been idle for the session gap at `at`. A "fewer than N
 * in a session" rule is judged here, and its award is dated at the session's last event, so
 * closing it now, later, or virtually at scoring time gives the same result.
 */
export function closeIdleSession(
  draft: ScoreState,
  rule: CompiledEngagementRule,
  count: CompiledCount,
  at: number,
  halfLifeMs: number | null,
): Award | null {
  const session = entryOf(draft.sessions, rule.id)
  if (!session || at - session[1] < count.sessionGapMs) return null
  delete draft.sessions[rule.id]
  // A session with nothing counted (say, only a server-side event) is not judged at all.
  const counted = session[2]
  if (!count.atSessionEnd || counted === 0 || counted >= (count.fewerThan ?? 0)) return null
  return tryAward(draft, rule, session[1], halfLifeMs)
}

/**
 * Extends the rule's session with the event. Any event is activity (it keeps the session
 * alive); only events the count describes are counted. Awards "at least N in a session" rules.
 */
export function applySessionCount(
  draft: ScoreState,
  rule: CompiledEngagementRule,
  count: CompiledCount,
  event: EventView,
  halfLifeMs: number | null,
): Award | null {
  const previous = entryOf(draft.sessions, rule.id)
  const counted = count.counted(event) ? 1 : 0
  const session: SessionTally = previous
    ? [Math.min(previous[0], event.at), Math.max(previous[1], event.at), previous[2] + counted]
    : [event.at, event.at, counted]
  draft.sessions[rule.id] = session
  if (count.atSessionEnd || count.atLeast === null || !rule.trigger(event)) return null
  return sessionCount(session, event.at, count.sessionGapMs) >= count.atLeast
    ? tryAward(draft, rule, event.at, halfLifeMs)
    : null
}

function sessionCount(session: SessionTally, at: number, gapMs: number): number {
  return at - session[1] < gapMs ? session[2] : 0
}

/** Updates the rule's trailing window with the event and judges the count at the event's time. */
export function applyWindowCount(
  draft: ScoreState,
  rule: CompiledEngagementRule,
  count: CompiledCount,
  event: EventView,
  latestAt: number,
  halfLifeMs: number | null,
): Award | null {
  const windowMs = count.windowMs ?? 0
  let times = entryOf(draft.windows, rule.id) ?? []
  if (count.counted(event)) times = insertSorted(times, event.at).slice(-count.keep)
  // Times that have left the window can never count again for an event in order.
  const horizon = latestAt - windowMs
  if (times.length > 0 && times[0]! <= horizon) times = times.filter((t) => t > horizon)
  if (times.length > 0) draft.windows[rule.id] = times
  else delete draft.windows[rule.id]

  if (!rule.trigger(event)) return null
  const from = event.at - windowMs
  const n = times.filter((t) => t > from && t <= event.at).length
  const holds = count.atLeast !== null ? n >= count.atLeast : n < (count.fewerThan ?? 0)
  return holds ? tryAward(draft, rule, event.at, halfLifeMs) : null
}

function insertSorted(times: number[], at: number): number[] {
  const next = [...times]
  let i = next.length
  while (i > 0 && next[i - 1]! > at) i--
  next.splice(i, 0, at)
  return next
}
