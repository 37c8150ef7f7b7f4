import type { LiveEntry } from '../live/feed.js'

/** A contact's score and grade change folded into its line of a visit (see {@link foldVisits}). */
export interface FoldedChange {
  previousTotal: number
  total: number
  /** Only when the grade changed. */
  previousGrade?: string | null
  grade?: string
}

/** What the Live page is sent: a live entry, an events entry with its contacts' changes. */
export type LivePageEntry =
  | Exclude<LiveEntry, { kind: 'events' }>
  | (Extract<LiveEntry, { kind: 'events' }> & { changes?: Record<string, FoldedChange> })

/**
 * One line per visit on the Live page: the score and grade entries a stored batch caused are
 * folded into that batch's events entry, as `changes` by contact id, instead of lines of their
 * own. A batch is published as one run, its events entry first, then its alerts, segment moves
 * and score and grade entries (routes/ingest.ts, log/nats.ts through live/publish.ts), and the
 * feed delivers a run without interleaving; so a score or grade entry is folded into the nearest
 * events entry before it in the same batch of the stream when that entry names its contact among
 * those whose score the batch changed (`scored`) and no later events entry came between. One with
 * no visit before it (a decay sweep, a rescore) keeps its own line, also when it follows a visit
 * of the same contact that did not change the score.
 *
 * Each message keeps an SSE id for EventSource's resume: a folded line takes the highest id of
 * what it holds, and every message after it at least that id, so a client that got them all
 * (one write) resumes after everything folded and is not sent a folded score again as a line.
 */
export function foldVisits(
  items: { entry: LiveEntry; id: string }[],
): { entry: LivePageEntry; id: string }[] {
  const out: { entry: LivePageEntry; id: string }[] = []
  let visit: { at: number; contacts: Set<string>; changes: Record<string, FoldedChange> } | null =
    null
  // A grade entry comes right after the score entry it goes with (live/publish.ts): only then is
  // it folded, with that score.
  let foldedScore: string | null = null
  for (const { entry, id } of items) {
    const afterScore = foldedScore
    foldedScore = null
    if (entry.kind === 'events') {
      const changes: Record<string, FoldedChange> = {}
      // The contacts whose score the batch changed (older entries: every contact of the batch).
      const scored = entry.scored ?? entry.events.map((e) => e.contactId)
      visit = { at: out.length, contacts: new Set(scored), changes }
      out.push({ entry: { ...entry, changes }, id })
      continue
    }
    if (
      visit &&
      entry.kind === 'score' &&
      visit.contacts.has(entry.contactId) &&
      !Object.hasOwn(visit.changes, entry.contactId)
    ) {
      visit.changes[entry.contactId] = { previousTotal: entry.previousTotal, total: entry.total }
      out[visit.at]!.id = id // ids only grow along the feed
      foldedScore = entry.contactId
      continue
    }
    if (visit && entry.kind === 'grade' && afterScore === entry.contactId) {
      const change = visit.changes[entry.contactId]!
      change.grade = entry.grade
      change.previousGrade = entry.previousGrade
      out[visit.at]!.id = id
      continue
    }
    out.push({ entry, id })
  }
  // Messages between a visit and a change folded into it came with lower ids than the visit's.
  let max: string | undefined
  for (const o of out) o.id = max = max === undefined || seqOf(o.id) > seqOf(max) ? o.id : max
  return out
}

/** The sequence part of a feed id (`<epoch>-<seq>`, live/feed.ts). */
const seqOf = (id: string) => Number(id.slice(id.lastIndexOf('-') + 1))
