import type { CompiledEngagementRule } from './compile-rules.js'
import { isoTime } from './iso-time.js'
import { entryOf, type RuleTally, type ScoreState } from './state.js'

const DAY_MS = 86_400_000

/** One rule firing for one event (or for the end of a session). */
export interface Award {
  rule: string
  name: string
  points: number
  /** ISO-8601 time of the event that earned it; decay runs from here. */
  at: string
}

/** Decay multiplier over `elapsedMs`; time before an award (a future event) does not decay. */
export function decayFactor(elapsedMs: number, halfLifeMs: number | null): number {
  if (halfLifeMs === null || elapsedMs <= 0) return 1
  return Math.pow(0.5, elapsedMs / halfLifeMs)
}

/** UTC day number. */
export function dayOf(at: number): number {
  return Math.floor(at / DAY_MS)
}

/** ISO week number (weeks start on Monday, UTC). 1970-01-01 was a Thursday, hence the +3. */
export function weekOf(at: number): number {
  return Math.floor((dayOf(at) + 3) / 7)
}

/**
 * Gives the rule's points at `at` unless a cap forbids it; updates `draft` in place (its
 * tallies map is a copy) and returns the award, or null when capped.
 */
export function tryAward(
  draft: ScoreState,
  rule: CompiledEngagementRule,
  at: number,
  halfLifeMs: number | null,
): Award | null {
  const tally = entryOf(draft.tallies, rule.id)
  const caps = rule.caps
  let day: [number, number] | undefined
  let week: [number, number] | undefined
  if (caps) {
    if (caps.once && tally) return null
    if (caps.perDay !== undefined) {
      day = bump(tally?.day, dayOf(at), caps.perDay) ?? undefined
      if (!day) return null
    }
    if (caps.perWeek !== undefined) {
      week = bump(tally?.week, weekOf(at), caps.perWeek) ?? undefined
      if (!week) return null
    }
  }
  draft.tallies[rule.id] = addAward(tally, rule.points, at, halfLifeMs, day, week)
  return { rule: rule.id, name: rule.name, points: rule.points, at: isoTime(at) }
}

// Counters keep only the current bucket: in the collector's order buckets only move forward.
// An event late into an older bucket is refused (never over-awarded); `late` tells the caller.
function bump(
  counter: [number, number] | undefined,
  bucket: number,
  max: number,
): [number, number] | null {
  if (!counter || counter[0] < bucket) return [bucket, 1]
  if (counter[0] > bucket || counter[1] >= max) return null
  return [bucket, counter[1] + 1]
}

function addAward(
  tally: RuleTally | undefined,
  points: number,
  at: number,
  halfLifeMs: number | null,
  day: [number, number] | undefined,
  week: [number, number] | undefined,
): RuleTally {
  const next: RuleTally = tally
    ? {
        count: tally.count + 1,
        points: tally.points + points,
        value:
          at >= tally.lastAt
            ? tally.value * decayFactor(at - tally.lastAt, halfLifeMs) + points
            : tally.value + points * decayFactor(tally.lastAt - at, halfLifeMs),
        lastAt: Math.max(at, tally.lastAt),
      }
    : { count: 1, points, value: points, lastAt: at }
  const keepDay = day ?? tally?.day
  const keepWeek = week ?? tally?.week
  if (keepDay) next.day = keepDay
  if (keepWeek) next.week = keepWeek
  return next
}
