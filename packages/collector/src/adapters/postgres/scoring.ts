import {
  engagementKey,
  nextCrossing,
  type ScoreState,
  type ScoringEvent,
  type Scorer,
} from '@lodestone/scoring'
import { halfLifeOf } from './score-order.js'
import type { ContactRow, Tx } from './contact-rows.js'
import type { ScoreChange } from '../../ports.js'

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v))

/** Loads every event of the given contacts in the engine's shape, grouped by contact. */
export async function loadScoringEvents(
  tx: Tx,
  contactIds: string[],
): Promise<Map<string, ScoringEvent[]>> {
  const out = new Map<string, ScoringEvent[]>()
  if (contactIds.length === 0) return out
  const rows = await tx`select contact_id, type, event, name, timestamp, message_id,
      payload -> 'properties' as properties, payload #> '{context,page}' as page
    from events where contact_id = any(${contactIds}::uuid[])`
  for (const r of rows) {
    const list = out.get(r.contact_id) ?? []
    list.push({
      type: r.type,
      event: r.event,
      name: r.name,
      properties: r.properties,
      context: r.page ? { page: r.page } : null,
      timestamp: iso(r.timestamp),
      messageId: r.message_id,
    })
    out.set(r.contact_id, list)
  }
  return out
}

/** Converts a stored event payload to the engine's shape. */
export function toScoringEvent(e: {
  payload: unknown
  timestamp: string
  messageId: string
}): ScoringEvent {
  const p = e.payload as ScoringEvent
  return { ...p, timestamp: e.timestamp, messageId: e.messageId }
}

/**
 * Brings each contact's score up to date with its new events, in the ingest transaction.
 * Events are folded in incrementally; a contact is replayed from all its events instead when it
 * absorbed a merge, was scored under other rules, or got an event older than its latest.
 */
export async function scoreContacts(
  tx: Tx,
  scorer: Scorer,
  rows: ContactRow[],
  newEvents: Map<string, ScoringEvent[]>,
  replayIds: Set<string>,
  now: Date,
): Promise<ScoreChange[]> {
  const states = new Map<string, ScoreState | null>()
  for (const row of rows) {
    let state = row.score.state
    let replay = replayIds.has(row.id) || (!row.isNew && row.score.rules !== scorer.fingerprint)
    if (!replay) {
      for (const e of newEvents.get(row.id) ?? []) {
        const r = scorer.applyEvent(state, e)
        if (r.late) {
          replay = true
          break
        }
        state = r.state
      }
    }
    if (replay) replayIds.add(row.id)
    else states.set(row.id, state)
  }
  const replayed = await loadScoringEvents(
    tx,
    [...replayIds].filter((id) => rows.some((r) => r.id === id)),
  )
  for (const [id, events] of replayed) states.set(id, scorer.replay(events))

  const changes: ScoreChange[] = []
  for (const row of rows) {
    const state = states.get(row.id) ?? scorer.replay([])
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
