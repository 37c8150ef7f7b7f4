import { ScoringError } from './errors.js'
import { isRecord } from './values.js'

/** One engagement rule's awards, aggregated so the state stays small however long the history. */
export interface RuleTally {
  /** Awards given. */
  count: number
  /** Sum of the points awarded, undecayed. */
  points: number
  /** Sum of the awards decayed to `lastAt`: decay to any later time is one multiplication. */
  value: number
  /** Time of the latest award (epoch ms). */
  lastAt: number
  /** Cap counters: [UTC day or ISO week number, awards in it]. */
  day?: [number, number]
  week?: [number, number]
}

/** An open session: [start, last activity] in epoch ms, and how many counted events it has. */
export type SessionTally = [number, number, number]

/**
 * Everything the engine remembers about one contact's events: JSON-serialisable and bounded
 * by the rule set (not by the number of events). Store it beside the contact.
 */
export interface ScoreState {
  version: 1
  /** The latest event applied, in the collector's order (timestamp, messageId). */
  last: { at: number; id: string } | null
  tallies: Record<string, RuleTally>
  /** Per counting rule: the most recent counted event times, oldest first. */
  windows: Record<string, number[]>
  sessions: Record<string, SessionTally>
}

/**
 * The state of a contact with no events.
 *
 * @example
 * const { state } = scorer.applyEvent(emptyScoreState(), event)
 */
export function emptyScoreState(): ScoreState {
  return { version: 1, last: null, tallies: {}, windows: {}, sessions: {} }
}

/** Accepts `null`/`undefined` as empty; rejects what is not a ScoreState (e.g. a corrupt row). */
export function checkState(state: ScoreState | null | undefined): ScoreState {
  if (state === null || state === undefined) return emptyScoreState()
  const ok =
    isRecord(state) &&
    state.version === 1 &&
    isRecord(state.tallies) &&
    isRecord(state.windows) &&
    isRecord(state.sessions)
  if (!ok) {
    throw new ScoringError('invalid_state', 'Not a scoring state (version 1)', [
      { path: 'version', message: 'Expected a ScoreState from this engine' },
    ])
  }
  return state
}

/** A rule's entry in one of the state's maps; own keys only, so a rule id `constructor` is safe. */
export function entryOf<T>(map: Record<string, T>, ruleId: string): T | undefined {
  return Object.hasOwn(map, ruleId) ? map[ruleId] : undefined
}

/** Copies the maps (not their entries: entries are replaced, never mutated). */
export function draftState(state: ScoreState): ScoreState {
  return {
    version: 1,
    last: state.last,
    tallies: { ...state.tallies },
    windows: { ...state.windows },
    sessions: { ...state.sessions },
  }
}
