import type { ScoreState } from '@lodestone/scoring'
import type { TraitState } from '../identity/traits.js'

/** A contact row as the batch pipeline works on it. */
export interface ContactRow {
  id: string
  userId: string | null
  firstSeen: string
  lastSeen: string
  state: TraitState
  firstTouch: FirstTouch | null
  score: ContactScore
  isNew: boolean
  dirty: boolean
  /**
   * Set when another transaction merged this contact away between the identity read and the row
   * lock (their identifiers did not overlap): the batch then starts over (see ingest.ts).
   */
  mergedInto?: string | null
}

export interface ContactScore {
  state: ScoreState | null
  /** Fingerprint of the rules the state was built with. */
  rules: string | null
  fit: number
  engagement: number
  total: number
  grade: string | null
  /** Decay-independent engagement key (packages/scoring/src/score-key.ts). */
  key: number
  /** When time alone may next change the grade or a segment membership (ISO), or null. */
  dueAt: string | null
}

export const NO_SCORE: ContactScore = {
  state: null,
  rules: null,
  fit: 0,
  engagement: 0,
  total: 0,
  grade: null,
  key: 0,
  dueAt: null,
}

export interface FirstTouch {
  at: string
  url?: string
  referrer?: string
  referrerDomain?: string
  campaign?: Record<string, unknown>
}
