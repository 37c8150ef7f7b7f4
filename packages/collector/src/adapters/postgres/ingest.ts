import type { Sql } from 'postgres'
import type { LifecycleSettings } from '../../lifecycle/port.js'
import type { EnrichedEvent, IngestResult, ScoreChange } from '../../ports.js'
import {
  byTimeThenId,
  lockKeysOf,
  wantedIdentifiers,
  type IdentityPlan,
} from '../../pipeline/plan.js'
import { runBatch, type BatchOutcome, type BatchTransaction } from '../../pipeline/batch.js'
import { lockContactsOwning, ownerOf, saveContacts, type Tx } from './contact-rows.js'
import { applyMerges } from './merge.js'
import type { RulesCache } from './rules-cache.js'
import { loadScoringEvents } from './scoring.js'
import { recordPreferences } from './preferences.js'
import type { Enqueue } from './webhooks.js'
import { withRetry } from './errors.js'
import { lifecycleStep } from './lifecycle.js'
import { LIFECYCLE_SETTINGS_COLUMNS, lifecycleSettingsOf } from './lifecycle-settings.js'
import { pipelinedTransaction } from './pipelined-tx.js'
import { firstByMessageId } from '../../ingest/first-by-message-id.js'
import { applyAudiences, type AudiencesPresent } from './segments-eval.js'
import { WorkspaceMovedError } from '../../shards/moved.js'

export { webhookEvents } from '../../pipeline/plan.js'

export interface IngestDeps {
  rules: RulesCache
  /** Writes webhook deliveries in the ingest transaction (outbox). */
  enqueue: Enqueue
  /**
   * The workspace's outbox bound to its subscribers (webhooks.ts `outboxFor`), whose writes are
   * sent before it returns; without it `enqueue` is used and must do the same (or write nothing).
   */
  outbox?: (tx: Tx, workspaceId: string) => Promise<Enqueue>
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
 * Round trips are few by design (pipelined-tx.ts): BEGIN, the lock and every read that follows it
 * (duplicates, identity owners, the owning contacts locked, one row of workspace state: the
 * rules version, the lifecycle settings and whether any segment or account exists; the webhook
 * subscribers when not cached) go out together (the server runs them in
 * order, each statement seeing what committed before the lock was granted); the merges and
 * inserts are sent without waiting for them; the contact, history and outbox writes go out
 * together with COMMIT. Reads that depend on the batch (a score replay, lifecycle events, the
 * audiences) add a round trip only when the batch needs them: the audience step reads nothing
 * in a workspace without segments and accounts.
 */
export async function ingestEvents(
  sql: Sql,
  workspaceId: string,
  input: EnrichedEvent[],
  deps: IngestDeps,
): Promise<IngestResult> {
  const unique = firstByMessageId(input)
  const ids = wantedIdentifiers(unique)
  const keys = lockKeysOf(workspaceId, ids)
  const kinds = ids.map((i) => i.kind)
  const values = ids.map((i) => i.value)
  const outcome = await withRetry(
    () =>
      pipelinedTransaction(sql, async ({ sql: tx, defer, commit }) => {
        // postgres.js queries are lazy: `.execute()` sends each now, so they go in this order.
        // The move fence (docs/scaling.md, "Moving a workspace"): the row lock every foreign key
        // to the workspace takes anyway, held to the commit, so a mover's `for update` waits
        // for this transaction and this one never commits after the fence is set.
        const fence = tx`select moving_to from workspaces where id = ${workspaceId}
          for key share`.execute()
        const reads = [
          tx`select pg_advisory_xact_lock(h) from (select distinct hashtextextended(k, 0) as h
          from unnest(${keys}::text[]) k) s order by h`.execute(),
          tx`select message_id from events where workspace_id = ${workspaceId}
          and message_id = any(${unique.map((e) => e.messageId)}::text[])`.execute(),
          tx`select i.kind, i.value, i.contact_id
          from unnest(${kinds}::text[], ${values}::text[]) w(kind, value)
          cross join lateral ${ownerOf(tx, workspaceId, 'kind, value, contact_id')} i`.execute(),
        ] as const
        const later = {
          outbox: deps.outbox?.(tx, workspaceId) ?? Promise.resolve(deps.enqueue),
        }
        defer(later.outbox)
        const [fenced, , seen, owned, contacts, [workspace]] = await Promise.all([
          fence,
          ...reads,
          lockContactsOwning(tx, workspaceId, kinds, values),
          workspaceState(tx, workspaceId),
        ])
        // A contact merged away by a transaction whose identifiers did not overlap ours (so no
        // advisory lock ordered us) committed while we waited for its row: our identity read is
        // stale. Start over; the next read sees the survivor. Log mode's partitions make this
        // common (one person's devices land in different partitions), request mode rare.
        if (fenced.length === 0 || fenced[0]!.moving_to !== null) {
          throw new WorkspaceMovedError(workspaceId)
        }
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
        const step = {
          tx,
          workspaceId,
          rulesVersion: (workspace!.rules_version as number | null) ?? 0,
          deps,
          defer,
          commit,
          settings: Promise.resolve(lifecycleSettingsOf(workspaceId, workspace)),
          present: {
            segments: workspace!.has_segments as boolean,
            accounts: workspace!.has_accounts as boolean,
          },
          outbox: await later.outbox,
        }
        return runBatch(
          batchTransaction(step),
          fresh,
          snapshot,
          deps.newId ?? (() => crypto.randomUUID()),
        )
      }).catch((err: unknown) => {
        throw isEventConflict(err) ? staleSnapshot() : err
      }),
    20,
  )
  return { ...outcome, duplicates: input.length - outcome.inserted }
}

/**
 * What the batch reads of its workspace, in one statement after the locks: the current rules
 * version (what `RulesCache.currentVersion` reads), the lifecycle settings row
 * (`LIFECYCLE_SETTINGS_COLUMNS`, all null when there is none) and whether the workspace has any
 * segment or account at all: without either, and without a `group` call in the batch, the
 * audience step has nothing to read (segments-eval.ts). One statement instead of two, and two
 * or three fewer for most batches (docs/benchmarks.md, "Fixed cost of a batch transaction").
 */
const workspaceState = (tx: Tx, workspaceId: string) =>
  tx`select (select version from scoring_rules where workspace_id = ${workspaceId}
      order by version desc limit 1) as rules_version,
    exists (select 1 from segments where workspace_id = ${workspaceId}) as has_segments,
    exists (select 1 from accounts where workspace_id = ${workspaceId}) as has_accounts,
    ${tx.unsafe(LIFECYCLE_SETTINGS_COLUMNS)}
  from (select) one left join lifecycle_settings l on l.workspace_id = ${workspaceId}`

/**
 * The event insert met a row another transaction stored after our duplicate read (a messageId
 * reused across visitors, so no advisory lock ordered the two): retry, and read it as seen.
 */
const isEventConflict = (err: unknown) => {
  const e = err as { code?: string; constraint_name?: string }
  return e?.code === '23505' && e.constraint_name === 'events_pkey'
}

/** Retried like a serialization failure (SQLSTATE 40001) by withRetry. */
const staleSnapshot = () =>
  Object.assign(new Error('a contact was merged by a concurrent batch'), { code: '40001' })

/** The batch pipeline's storage in one PostgreSQL transaction. */
function batchTransaction(step: {
  tx: Tx
  workspaceId: string
  rulesVersion: number
  deps: IngestDeps
  defer: (statement: Promise<unknown>) => void
  commit: () => Promise<void>
  settings: Promise<LifecycleSettings>
  present: AudiencesPresent
  outbox: Enqueue
}): BatchTransaction {
  const { tx, workspaceId, rulesVersion, deps, defer, outbox } = step
  return {
    async writeIdentities(plan) {
      const written = writeIdentities(tx, workspaceId, plan)
      // A merge's alert states are re-read below (lifecycle): let it finish first.
      if (plan.merges.length > 0) await written
      else defer(written)
    },
    recordPreferences: (events) => recordPreferences(tx, workspaceId, events),
    scorer: async () => (await deps.rules.forVersion(tx, workspaceId, rulesVersion)).scorer,
    scoringEvents: (ids) => loadScoringEvents(tx, ids),
    async lifecycle(input) {
      const out = await lifecycleStep(tx, workspaceId, input, outbox, step.settings)
      defer(out.written)
      return out
    },
    audiences: (input) => applyAudiences(tx, workspaceId, input, outbox, step.present),
    // The last writes are independent of each other: sent together with COMMIT.
    commit(touched, changes, webhooks) {
      defer(saveContacts(tx, workspaceId, touched))
      defer(recordHistory(tx, workspaceId, changes))
      defer(outbox(tx, workspaceId, webhooks))
      return step.commit()
    },
  }
}

/**
 * The merges, then the identity links, conflicts and events, sent now in this order
 * (`.execute()`); resolves once they ran.
 */
async function writeIdentities(tx: Tx, workspaceId: string, plan: IdentityPlan): Promise<void> {
  const writes: Promise<unknown>[] = [applyMerges(tx, workspaceId, plan.merges)]
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
  // Inserted in messageId order, whatever the batch's time order: two batches that share
  // messageIds then take their unique-index entries in the same order, so one waits for the
  // other (and is retried, above) instead of both deadlocking until PostgreSQL's
  // deadlock_timeout (1 s) picks one. `seq` only breaks ties of equal timestamps, which were in
  // messageId order already (byTimeThenId).
  const byMessageId = [...plan.placed].sort((a, b) =>
    a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0,
  )
  const rows = byMessageId.map((e) => ({
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
  // No `on conflict`: a row stored meanwhile fails the batch, which is retried (see above).
  writes.push(
    tx`
    insert into events (workspace_id, message_id, contact_id, type, event, name, user_id, anonymous_id, timestamp, received_at, payload)
    select ${workspaceId}, v.message_id, v.contact_id, v.type, v.event, v.name, v.user_id, v.anonymous_id, v.timestamp, v.received_at, v.payload
    from jsonb_to_recordset(${tx.json(rows as never)}) as v(message_id text, contact_id uuid, type text, event text, name text,
      user_id text, anonymous_id text, timestamp timestamptz, received_at timestamptz, payload jsonb)`.execute(),
  )
  await Promise.all(writes)
}

export async function recordHistory(tx: Tx, workspaceId: string, changes: ScoreChange[]) {
  if (changes.length === 0) return
  await tx`insert into score_history (workspace_id, contact_id, at, fit, engagement, total, grade)
    select ${workspaceId}, v.contact_id, v.at, v.fit, v.engagement, v.total, v.grade
    from jsonb_to_recordset(${tx.json(changes.map((c) => ({ contact_id: c.contactId, at: c.at, fit: c.fit, engagement: c.engagement, total: c.total, grade: c.grade })) as never)})
      as v(contact_id uuid, at timestamptz, fit double precision, engagement double precision, total double precision, grade text)`
}
