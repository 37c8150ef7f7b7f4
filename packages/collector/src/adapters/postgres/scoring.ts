import { OWN_SEGMENT_EVENT } from './own-events.js'
import type { ScoringEvent, Scorer } from '@lodestone/scoring'
import { foldScores, settleScores } from '../../pipeline/score.js'
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
  // Not the segments' own Segment Entered / Exited events (adapters/postgres/segments-eval.ts
  // writes them beside the contact's events): ingest folds only the events it receives into a
  // score, never these, so a replay without them scores exactly as the fold did.
  // The ids are read through a subquery (`idsForGenericPlan`) so the prepared statement keeps
  // one plan instead of being planned again on every call.
  const rows = await tx`select contact_id, type, event, name, timestamp, message_id,
      payload -> 'properties' as properties, payload #> '{context,page}' as page
    from events where contact_id = any(${idsForGenericPlan(tx, contactIds)})
      and not ${tx.unsafe(OWN_SEGMENT_EVENT)}`
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

export { toScoringEvent } from '../../pipeline/plan.js'

/**
 * `ids` as a uuid[] the planner cannot see (an InitPlan), for `= any(…)` in a prepared statement
 * of the ingest. Given the array itself, PostgreSQL plans every call again (a custom plan: the
 * few ids of a batch look cheaper than the generic plan's guess of ten), and planning a read of
 * `events` (five indexes, three of them partial) cost about 0.12 ms per call under the ingest
 * load, against 0.003–0.2 ms to run it (`pg_stat_statements`, docs/benchmarks.md). Hidden, the
 * generic plan costs the same as a custom one, so after its five custom plans the statement
 * keeps the generic plan: the same index scans, never planned again.
 */
export const idsForGenericPlan = (tx: Tx, ids: string[]) => tx`(select ${ids}::uuid[])::uuid[]`

export { scoreDueAt } from '../../pipeline/score.js'

/**
 * Brings each contact's score up to date with its new events (pipeline/score.ts), reading the
 * stored events of the contacts that must be replayed.
 */
export async function scoreContacts(
  tx: Tx,
  scorer: Scorer,
  rows: ContactRow[],
  newEvents: Map<string, ScoringEvent[]>,
  replayIds: Set<string>,
  now: Date,
): Promise<ScoreChange[]> {
  const fold = foldScores(scorer, rows, newEvents, replayIds)
  const replayed = await loadScoringEvents(tx, fold.replay)
  return settleScores(scorer, rows, fold, replayed, now)
}
