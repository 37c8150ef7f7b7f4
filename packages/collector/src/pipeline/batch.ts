import { pagePath } from '../live/page-path.js'
import type { ScoringEvent, Scorer } from '@lodestone/scoring'
import type { EnrichedEvent, IngestResult, ScoreChange } from '../ports.js'
import type { ContactAlert } from '../lifecycle/port.js'
import type { SegmentTransition } from '../segments/live.js'
import type { WebhookEvent } from '../webhooks/types.js'
import type { ContactRow } from './contact.js'
import {
  applyStoredEvents,
  planIdentities,
  webhookEvents,
  type BatchSnapshot,
  type IdentityPlan,
  type PlacedEvent,
} from './plan.js'
import { foldScores, settleScores } from './score.js'

export type BatchOutcome = Omit<IngestResult, 'duplicates'>

/** What the lifecycle step gets (adapters/postgres/lifecycle.ts). */
export interface LifecycleInput {
  /** Every contact row of the batch, by id (merged-away ones removed). */
  contacts: Map<string, ContactRow>
  /** Events inserted by this batch, with their resolved contact. */
  newEvents: readonly { contactId: string; event: string | null }[]
  changes: readonly ScoreChange[]
  merged: readonly { from: string; into: string }[]
  now: Date
}

/** What the audience step gets: the touched rows, scored up to `now`. */
export interface AudienceInput {
  rows: ContactRow[]
  newEvents: PlacedEvent[]
  merged: { from: string; into: string }[]
  now: Date
  scorer: Scorer
}

/**
 * One batch transaction's storage, bound to its workspace, after the store took the batch's
 * locks and read its snapshot. Each method is a few set-based statements for the whole batch.
 */
export interface BatchTransaction {
  /**
   * Sends the merges, identity links, conflicts and events. Every placed event is stored: if
   * another transaction stored one of them since the snapshot was read, the insert fails and the
   * whole batch starts over (it then reads that event as a duplicate).
   */
  writeIdentities(plan: IdentityPlan): Promise<void>
  /** Stores subscription and consent changes the events state; returns the subscription ones. */
  recordPreferences(
    events: readonly PlacedEvent[],
  ): Promise<{ contactId: string; topic: string; status: string; at: string }[]>
  /** The compiled scorer of the rules version read with the snapshot. */
  scorer(): Promise<Scorer>
  /** Every stored event of the given contacts, in the engine's shape. */
  scoringEvents(contactIds: string[]): Promise<Map<string, ScoringEvent[]>>
  /**
   * Computed traits and alert rules (adapters/postgres/lifecycle.ts): resolves once the rows
   * are updated and its writes are sent; `written` resolves with the alerts they recorded.
   */
  lifecycle(input: LifecycleInput): Promise<{ written: Promise<ContactAlert[]> }>
  /** Segment, list and account membership (adapters/postgres/segments-eval.ts). */
  audiences(input: AudienceInput): Promise<SegmentTransition[]>
  /**
   * Sends the touched contacts, the score history and the webhook outbox rows, then COMMIT, and
   * resolves once the batch is committed.
   */
  commit(touched: ContactRow[], changes: ScoreChange[], webhooks: WebhookEvent[]): Promise<void>
}

/**
 * Runs the batch pipeline over a batch's fresh events (deduplicated, not yet stored, in time
 * order), the same in request mode (group-committed requests) and in log mode (a fetched log
 * batch): identity → events → traits → preferences → scores → lifecycle → audiences → commit.
 * Writes whose results nothing waits for are sent without waiting, so the whole batch costs few
 * round trips (docs/benchmarks.md).
 */
export async function runBatch(
  tx: BatchTransaction,
  fresh: readonly EnrichedEvent[],
  snapshot: BatchSnapshot,
  newId: () => string,
): Promise<BatchOutcome> {
  const plan = planIdentities(fresh, snapshot, newId)
  const { contacts } = plan
  await tx.writeIdentities(plan)
  const newEvents = plan.placed
  const { changedTraits, scoringEvents } = applyStoredEvents(contacts, newEvents)
  const subscriptionChanges = await tx.recordPreferences(newEvents)

  const touched = [...contacts.values()].filter((c) => c.dirty)
  const scorer = await tx.scorer()
  const merged = plan.merges.map((m) => ({ from: m.from, into: m.into }))
  const fold = foldScores(scorer, touched, scoringEvents, new Set(merged.map((m) => m.into)))
  const replayed = fold.replay.length > 0 ? await tx.scoringEvents(fold.replay) : new Map()
  const now = new Date(Math.max(...fresh.map((e) => Date.parse(e.receivedAt))))
  const changes = settleScores(scorer, touched, fold, replayed, now)
  const lifecycle = await tx.lifecycle({ contacts, newEvents, changes, merged, now })
  const segments = await tx.audiences({ rows: touched, newEvents, merged, now, scorer })

  // Further per-batch domain steps (they see every contact, its new events and score changes,
  // and write in this transaction) go here, before the commit.

  await tx.commit(
    touched,
    changes,
    webhookEvents(contacts, changes, changedTraits, subscriptionChanges, merged, now),
  )
  const alerts = await lifecycle.written
  return {
    inserted: newEvents.length,
    changes,
    alerts,
    segments,
    stored: newEvents.map((e) => ({
      messageId: e.messageId,
      contactId: e.contactId,
      type: e.type,
      name: e.event ?? e.name,
      path: pagePath(e.type, e.payload),
      timestamp: e.timestamp,
    })),
  }
}
