import type { Sql } from 'postgres'
import type { EnrichedEvent, IngestResult, ScoreChange } from '../../ports.js'
import {
  byTimeThenId,
  lockKeys,
  wantedIdentifiers,
  type IdentityPlan,
} from '../../pipeline/plan.js'
import { runBatch, type BatchOutcome, type BatchTransaction } from '../../pipeline/batch.js'
import { lockContactsOwning, ownerOf, saveContacts, type Tx } from './contact-rows.js'
import { applyMerges } from './merge.js'
import type { RulesCache } from './rules-cache.js'
import { loadScoringEvents } from './scoring.js'
import { recordPreferences } from './preferences.js'
import type { WebhookEvent } from '../../webhooks/types.js'
import { withRetry } from './errors.js'
import { applyLifecycle } from './lifecycle.js'
import { firstByMessageId } from '../../ingest/first-by-message-id.js'
import { applyAudiences } from './segments-eval.js'

export { webhookEvents } from '../../pipeline/plan.js'

export interface IngestDeps {
  rules: RulesCache
  /** Writes webhook deliveries in the ingest transaction (outbox). */
  enqueue: (tx: Tx, workspaceId: string, events: WebhookEvent[]) => Promise<void>
  /** New contact ids (default: random UUIDs; the differential test makes them repeatable). */
  newId?: () => string
}
const NOTHING: BatchOutcome = { inserted: 0, changes: [], stored: [] }

/**
 * Stores a batch's events and resolves each to a contact, all in one transaction (docs/identity.md): the
 * batch pipeline (pipeline/batch.ts) decides, this adapter only reads and writes, a few set-based
 * statements per batch whatever its size. Advisory locks on every identifier the batch carries,
 * taken in hash order, make racing batches for one visitor run one after the other; contact rows
 * are then locked in id order.
 *
 * Round trips are few by design: the lock and every read that follows it (duplicates, identity
 * owners, the owning contacts locked, the rules version) are sent together in one pipeline (the
 * server runs them in order, each statement seeing what committed before the lock was granted),
 * the merges and inserts go in one more, the contact, history and outbox writes in a last one.
 */
export async function ingestEvents(
  sql: Sql,
  workspaceId: string,
  input: EnrichedEvent[],
  deps: IngestDeps,
): Promise<IngestResult> {
  const unique = firstByMessageId(input)
  const keys = lockKeys(workspaceId, unique)
  const ids = wantedIdentifiers(unique)
  const kinds = ids.map((i) => i.kind)
  const values = ids.map((i) => i.value)
  const outcome = await withRetry(
    () =>
      sql.begin(async (tx) => {
        // postgres.js queries are lazy: `.execute()` sends each now, so they go in this order.
        const reads = [
          tx`select pg_advisory_xact_lock(h) from (select distinct hashtextextended(k, 0) as h
          from unnest(${keys}::text[]) k) s order by h`.execute(),
          tx`select message_id from events where workspace_id = ${workspaceId}
          and message_id = any(${unique.map((e) => e.messageId)}::text[])`.execute(),
          tx`select i.kind, i.value, i.contact_id
          from unnest(${kinds}::text[], ${values}::text[]) w(kind, value)
          cross join lateral ${ownerOf(tx, workspaceId, 'kind, value, contact_id')} i`.execute(),
        ] as const
        const [, seen, owned, contacts, rulesVersion] = await Promise.all([
          ...reads,
          lockContactsOwning(tx, workspaceId, kinds, values),
          deps.rules.currentVersion(tx, workspaceId),
        ])
        // A contact merged away by a transaction whose identifiers did not overlap ours (so no
        // advisory lock ordered us) committed while we waited for its row: our identity read is
        // stale. Start over; the next read sees the survivor. Log mode's partitions make this
        // common (one person's devices land in different partitions), request mode rare.
        if ([...contacts.values()].some((c) => c.mergedInto)) throw staleSnapshot()
        const known = new Set(seen.map((r) => r.message_id as string))
        const fresh = unique.filter((e) => !known.has(e.messageId)).sort(byTimeThenId)
        if (fresh.length === 0) return NOTHING
        const snapshot = {
          owned: owned.map((r) => ({
            kind: r.kind as string,
            value: r.value as string,
            contactId: r.contact_id as string,
          })),
          contacts,
        }
        return runBatch(
          batchTransaction(tx, workspaceId, rulesVersion, deps),
          fresh,
          snapshot,
          deps.newId ?? (() => crypto.randomUUID()),
        )
      }),
    20,
  )
  return { ...outcome, duplicates: input.length - outcome.inserted }
}

/** Retried like a serialization failure (SQLSTATE 40001) by withRetry. */
const staleSnapshot = () =>
  Object.assign(new Error('a contact was merged by a concurrent batch'), { code: '40001' })

/** The batch pipeline's storage in one PostgreSQL transaction. */
function batchTransaction(
  tx: Tx,
  workspaceId: string,
  rulesVersion: number,
  { rules, enqueue }: IngestDeps,
): BatchTransaction {
  return {
    writeIdentities: (plan) => writeIdentities(tx, workspaceId, plan),
    recordPreferences: (events) => recordPreferences(tx, workspaceId, events),
    scorer: async () => (await rules.forVersion(tx, workspaceId, rulesVersion)).scorer,
    scoringEvents: (ids) => loadScoringEvents(tx, ids),
    lifecycle: (input) => applyLifecycle(tx, workspaceId, input, enqueue),
    audiences: (input) => applyAudiences(tx, workspaceId, input, enqueue),
    // The last writes are independent of each other: one pipeline.
    save: async (touched, changes, webhooks) => {
      await Promise.all([
        saveContacts(tx, workspaceId, touched),
        recordHistory(tx, workspaceId, changes),
        enqueue(tx, workspaceId, webhooks),
      ])
    },
  }
}

/**
 * The merges, then the identity links, conflicts and events, in one pipeline sent in this order
 * (`.execute()`); returns the messageIds the event insert stored.
 */
async function writeIdentities(tx: Tx, workspaceId: string, plan: IdentityPlan) {
  const merges = applyMerges(tx, workspaceId, plan.merges)
  const writes: Promise<unknown>[] = [merges]
  if (plan.links.length > 0) {
    writes.push(
      tx`insert into identities (workspace_id, kind, value, contact_id, linked_at)
      select ${workspaceId}, v.kind, v.value, v.contact_id, v.linked_at
      from unnest(${plan.links.map((l) => l.kind)}::text[], ${plan.links.map((l) => l.value)}::text[],
        ${plan.links.map((l) => l.contactId)}::uuid[], ${plan.links.map((l) => l.at)}::timestamptz[])
        as v(kind, value, contact_id, linked_at)
      on conflict (workspace_id, kind, value) do nothing`.execute(),
    )
  }
  const conflicts = plan.conflicts
  if (conflicts.length > 0) {
    writes.push(
      tx`insert into identity_conflicts (workspace_id, contact_id, other_contact_id, kind, value, message_id)
      select ${workspaceId}, v.contact_id, v.other, v.kind, v.value, v.message_id
      from unnest(${conflicts.map((c) => c.contactId)}::uuid[], ${conflicts.map((c) => c.otherContactId)}::uuid[],
        ${conflicts.map((c) => c.kind)}::text[], ${conflicts.map((c) => c.value)}::text[],
        ${conflicts.map((c) => c.messageId)}::text[]) as v(contact_id, other, kind, value, message_id)`.execute(),
    )
  }
  const rows = plan.placed.map((e) => ({
    message_id: e.messageId,
    contact_id: e.contactId,
    type: e.type,
    event: e.event,
    name: e.name,
    user_id: e.userId,
    anonymous_id: e.anonymousId,
    timestamp: e.timestamp,
    received_at: e.receivedAt,
    payload: e.payload,
  }))
  const inserted = tx`
    insert into events (workspace_id, message_id, contact_id, type, event, name, user_id, anonymous_id, timestamp, received_at, payload)
    select ${workspaceId}, v.message_id, v.contact_id, v.type, v.event, v.name, v.user_id, v.anonymous_id, v.timestamp, v.received_at, v.payload
    from jsonb_to_recordset(${tx.json(rows as never)}) as v(message_id text, contact_id uuid, type text, event text, name text,
      user_id text, anonymous_id text, timestamp timestamptz, received_at timestamptz, payload jsonb)
    on conflict (workspace_id, message_id) do nothing returning message_id`.execute()
  const [insertedRows] = await Promise.all([inserted, ...writes])
  return new Set(insertedRows.map((r) => r.message_id as string))
}

export async function recordHistory(tx: Tx, workspaceId: string, changes: ScoreChange[]) {
  if (changes.length === 0) return
  await tx`insert into score_history (workspace_id, contact_id, at, fit, engagement, total, grade)
    select ${workspaceId}, v.contact_id, v.at, v.fit, v.engagement, v.total, v.grade
    from jsonb_to_recordset(${tx.json(changes.map((c) => ({ contact_id: c.contactId, at: c.at, fit: c.fit, engagement: c.engagement, total: c.total, grade: c.grade })) as never)})
      as v(contact_id uuid, at timestamptz, fit double precision, engagement double precision, total double precision, grade text)`
}
