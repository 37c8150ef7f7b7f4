import type { Grade } from './rule-schema.js'
import { gradeFor, roundPoints } from './score.js'

/**
 * Time-aware scores without rewriting rows as time passes (docs/scoring.md, "Scores as of now").
 *
 * Engagement decays by one half-life `h` for the whole workspace, so a contact whose engagement
 * was `E` at time `at` has `E · 2^(-(t - at)/h)` at any later `t`. Written as
 * `sign(E) · 2^(log2|E| + (at - EPOCH)/h - (t - EPOCH)/h)`, the part that does not depend on `t`,
 * `log2|E| + (at - EPOCH)/h`, is the contact's engagement key: it orders contacts exactly as
 * their decayed engagement does at every moment (the `t` term is the same for all of them).
 * Fit points never decay, so the total `fit + engagement(t)` is exact from (`fit`, key) and
 * contacts with equal fit are ordered by the key alone: an index on (fit, key) orders the total
 * within each fit value, and a read merges the few distinct fit values.
 */
export const SCORE_EPOCH_MS = Date.UTC(2020, 0, 1)

/** Keeps keys positive for every engagement above 2^-64 points; 0 is "no engagement". */
const OFFSET = 64

/** The decay-independent key of engagement `engagement` (unrounded) at time `atMs`. */
export function engagementKey(engagement: number, atMs: number, halfLifeMs: number | null): number {
  if (!Number.isFinite(engagement) || Math.abs(engagement) < 1e-12) return 0
  const log = Math.log2(Math.abs(engagement)) + OFFSET + elapsedHalfLives(atMs, halfLifeMs)
  return engagement > 0 ? log : -log
}

/** Half-lives since the epoch: the `t` term of the key (0 when decay is off). */
export function elapsedHalfLives(atMs: number, halfLifeMs: number | null): number {
  return halfLifeMs === null ? 0 : (atMs - SCORE_EPOCH_MS) / halfLifeMs
}

/** Engagement (unrounded) at `nowMs` from its key. */
export function engagementFromKey(key: number, nowMs: number, halfLifeMs: number | null): number {
  if (key === 0) return 0
  const exponent = Math.max(Math.abs(key) - OFFSET - elapsedHalfLives(nowMs, halfLifeMs), -1000)
  return Math.sign(key) * Math.pow(2, exponent)
}

export interface ScoreNow {
  fit: number
  engagement: number
  total: number
  grade: string
}

/**
 * A contact's score at `nowMs` from its stored fit and engagement key: what every read shows.
 *
 * @example
 * const s = scoreFromKey(row.fit, row.key, Date.now(), 30 * 86_400_000, DEFAULT_RULES.grades)
 */
export function scoreFromKey(
  fit: number,
  key: number,
  nowMs: number,
  halfLifeMs: number | null,
  grades: readonly Grade[],
): ScoreNow {
  const f = roundPoints(fit)
  const engagement = roundPoints(engagementFromKey(key, nowMs, halfLifeMs))
  const total = roundPoints(f + engagement)
  return { fit: f, engagement, total, grade: gradeFor(grades, total) }
}

/**
 * The first time after `nowMs` at which the shown total (two decimals) reaches or leaves one of
 * `thresholds` by decay alone (grade minimums, segment score bounds), or null when it never
 * does. Rounding makes the result approximate by far less than a second; callers check the
 * score again at that time and ask again if nothing crossed yet.
 */
export function nextCrossing(
  fit: number,
  key: number,
  nowMs: number,
  halfLifeMs: number | null,
  thresholds: readonly number[],
): number | null {
  if (key === 0 || halfLifeMs === null) return null
  const e = engagementFromKey(key, nowMs, halfLifeMs)
  const total = fit + e
  let best: number | null = null
  for (const min of thresholds) {
    // Positive engagement falls towards fit, negative rises towards it: a threshold between
    // fit and the total is crossed when the engagement left is (min - fit), give or take 0.005.
    const lo = Math.min(total, fit)
    const hi = Math.max(total, fit)
    if (!(min > lo && min <= hi)) continue
    const target = e > 0 ? min - fit - 0.005 : fit - min + 0.005
    if (target <= 0) continue
    const at = nowMs + halfLifeMs * Math.log2(Math.abs(e) / target)
    if (at > nowMs && (best === null || at < best)) best = at
  }
  return best
}
