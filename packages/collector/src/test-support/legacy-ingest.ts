/**
 * The per-event ingest path as it was before the batch pipeline (packages/collector/src/pipeline/),
 * kept verbatim for the differential test only (pipeline/differential.test.ts): the same random
 * event streams go through both and must leave identical contacts, identities, traits, scores and
 * events. Not used by the product.
 *
 * FROZEN ORACLE: it repeats logic of pipeline/ and adapters/postgres/ingest.ts on purpose, so
 * `duplicates` lists it against them; do not merge it into them or "fix" it to match (that would
 * make the differential test compare the pipeline with itself). Recorded fixtures would not
 * replace it: the test draws new random event streams and batch cuts on every run.
 */
import { pagePath } from '../live/page-path.js'
import type { Sql } from 'postgres'
import type { ScoringEvent } from '@lodestone/scoring'
import type { EnrichedEvent, IngestResult, ScoreChange } from '../ports.js'
import { createGraph, planEvent, type IdentityAction } from '../identity/planner.js'
import { identifierKey, identifiersOf, type Identifier } from '../identity/identifiers.js'
import { applyTraits, mergeTraitStates, traitsOf } from '../identity/traits.js'
import {
  lockContactsOwning,
  NO_SCORE,
  ownerOf,
  saveContacts,
  type ContactRow,
  type FirstTouch,
  type Tx,
} from '../adapters/postgres/contact-rows.js'
import type { RulesCache } from '../adapters/postgres/rules-cache.js'
import { scoreContacts, toScoringEvent } from '../adapters/postgres/scoring.js'
import { recordPreferences } from '../adapters/postgres/preferences.js'
import type { WebhookEvent } from '../webhooks/types.js'
import { withRetry } from '../adapters/postgres/errors.js'
import { applyLifecycle, mergeAlerts } from '../adapters/postgres/lifecycle.js'
import { applyAudiences } from '../adapters/postgres/segments-eval.js'
import { firstByMessageId } from '../ingest/first-by-message-id.js'

type Outcome = Omit<IngestResult, 'duplicates'>

export interface IngestDeps {
  rules: RulesCache
  newId?: () => string
  /** Writes webhook deliveries in the ingest transaction (outbox). */
  enqueue: (tx: Tx, workspaceId: string, events: WebhookEvent[]) => Promise<void>
}
const NOTHING: Outcome = { inserted: 0, changes: [], stored: [] }

function lockKeys(workspaceId: string, events: EnrichedEvent[]): string[] {
  const keys = new Set<string>()
  for (const e of events) {
    const { ids, previousId } = identifiersOf(e.payload)
    for (const id of ids) keys.add(`${workspaceId}\u001f${identifierKey(id)}`)
    if (previousId) {
      keys.add(`${workspaceId}\u001fuserId\u001f${previousId}`)
      keys.add(`${workspaceId}\u001fanonymousId\u001f${previousId}`)
    }
  }
  return [...keys]
}

function firstTouchOf(e: EnrichedEvent): FirstTouch | null {
  const ctx = e.payload.context as Record<string, unknown> | undefined
  const page = ctx?.page as Record<string, string | undefined> | undefined
  if (!page?.url && !page?.referrer && !ctx?.campaign) return null
  return {
    at: e.timestamp,
    url: page?.url,
    referrer: page?.referrer || undefined,
    referrerDomain: (ctx?.referrerDomain as string | undefined) || undefined,
    campaign: ctx?.campaign as Record<string, unknown> | undefined,
  }
}

/** Every identifier the events name (and `previousId` as both kinds), keyed for the graph. */
function wantedIdentifiers(events: EnrichedEvent[]) {
  const wanted = new Map<string, { kind: string; value: string }>()
  for (const e of events) {
    const { ids, previousId } = identifiersOf(e.payload)
    for (const id of ids) wanted.set(identifierKey(id), id)
    if (previousId) {
      for (const kind of ['userId', 'anonymousId'])
        wanted.set(identifierKey({ kind, value: previousId }), { kind, value: previousId })
    }
  }
  return [...wanted.values()]
}

const byTimeThenId = (a: EnrichedEvent, b: EnrichedEvent) =>
  a.timestamp === b.timestamp
    ? a.messageId < b.messageId
      ? -1
      : 1
    : a.timestamp < b.timestamp
      ? -1
      : 1

/** What the transaction read once it held the identifier locks. */
interface Loaded {
  owned: readonly { kind: string; value: string; contact_id: string }[]
  contacts: Map<string, ContactRow>
  rulesVersion: number
}

/**
 * Stores a request's events and resolves each to a contact, all in one transaction (SPEC §6).
 * Advisory locks on every identifier the request carries, taken in hash order, make racing
 * requests for one visitor run one after the other; contact rows are then locked in id order.
 *
 * Round trips are few by design: the lock and every read that follows it (duplicates, identity
 * owners, the owning contacts locked, the rules version) are sent together in one pipeline (the
 * server runs them in order, each statement seeing what committed before the lock was granted),
 * the inserts go in one more, the contact and history writes in a last one.
 */
export async function legacyIngestEvents(
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
  const outcome = await withRetry(() =>
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
      const known = new Set(seen.map((r) => r.message_id as string))
      const fresh = unique.filter((e) => !known.has(e.messageId)).sort(byTimeThenId)
      if (fresh.length === 0) return NOTHING
      const loaded = { owned: owned as unknown as Loaded['owned'], contacts, rulesVersion }
      return applyFresh(tx, workspaceId, fresh, loaded, deps)
    }),
  )
  return { ...outcome, duplicates: input.length - outcome.inserted }
}

async function applyFresh(
  tx: Tx,
  workspaceId: string,
  fresh: EnrichedEvent[],
  { owned, contacts, rulesVersion }: Loaded,
  { rules, enqueue, newId }: IngestDeps,
): Promise<Outcome> {
  const graph = createGraph()
  for (const r of owned)
    graph.owners.set(identifierKey({ kind: r.kind, value: r.value }), r.contact_id)
  for (const c of contacts.values())
    graph.contacts.set(c.id, { id: c.id, userId: c.userId, firstSeen: c.firstSeen })

  const redirect = new Map<string, string>()
  const resolve = (id: string): string => {
    let cur = id
    while (redirect.has(cur)) cur = redirect.get(cur)!
    return cur
  }
  const actions: IdentityAction[] = []
  const placed: { event: EnrichedEvent; contactId: string }[] = []
  for (const event of fresh) {
    const plan = planEvent(
      graph,
      { ...event.payload, messageId: event.messageId, timestamp: event.timestamp },
      newId ?? (() => crypto.randomUUID()),
    )
    placed.push({ event, contactId: plan.contactId })
    for (const a of plan.actions) {
      actions.push(a)
      if (a.kind === 'create') {
        const at = a.contact.firstSeen
        contacts.set(a.contact.id, {
          id: a.contact.id,
          userId: a.contact.userId,
          firstSeen: at,
          lastSeen: at,
          state: { traits: {}, times: {} },
          firstTouch: null,
          score: NO_SCORE,
          isNew: true,
          dirty: true,
        })
      } else if (a.kind === 'merge') {
        const from = contacts.get(a.from)!
        const into = contacts.get(a.into)!
        mergeTraitStates(into.state, from.state)
        if (from.firstSeen < into.firstSeen) into.firstSeen = from.firstSeen
        if (from.lastSeen > into.lastSeen) into.lastSeen = from.lastSeen
        if (from.firstTouch && (!into.firstTouch || from.firstTouch.at < into.firstTouch.at))
          into.firstTouch = from.firstTouch
        into.userId ??= from.userId
        into.dirty = true
        redirect.set(a.from, a.into)
      }
    }
  }

  const merged: { from: string; into: string }[] = []
  for (const a of actions) {
    if (a.kind !== 'merge') continue
    const from = contacts.get(a.from)!
    contacts.delete(a.from)
    if (from.isNew) continue
    merged.push({ from: a.from, into: resolve(a.into) })
    await applyMerge(tx, workspaceId, a.from, resolve(a.into), {
      messageId: a.messageId,
      via: a.via,
    })
    // Alert states used to move in the lifecycle step; they now move with the merge.
    await mergeAlerts(tx, workspaceId, [{ from: a.from, into: resolve(a.into) }])
  }

  const links = actions.flatMap((a) =>
    a.kind === 'link'
      ? [
          {
            kind: a.identifier.kind,
            value: a.identifier.value,
            contact_id: resolve(a.contactId),
            linked_at: a.at,
          },
        ]
      : [],
  )
  // The identity rows and the events go in one pipeline, sent in this order (`.execute()`).
  const inserts: Promise<unknown>[] = []
  if (links.length > 0) {
    inserts.push(
      tx`insert into identities (workspace_id, kind, value, contact_id, linked_at)
      select ${workspaceId}, v.kind, v.value, v.contact_id, v.linked_at
      from jsonb_to_recordset(${tx.json(links as never)}) as v(kind text, value text, contact_id uuid, linked_at timestamptz)
      on conflict (workspace_id, kind, value) do nothing`.execute(),
    )
  }
  const conflicts = actions.flatMap((a) =>
    a.kind === 'conflict'
      ? [
          {
            contact_id: resolve(a.contactId),
            other: resolve(a.otherContactId),
            kind: a.identifier.kind,
            value: a.identifier.value,
            message_id: a.messageId,
          },
        ]
      : [],
  )
  if (conflicts.length > 0) {
    inserts.push(
      tx`insert into identity_conflicts (workspace_id, contact_id, other_contact_id, kind, value, message_id)
      select ${workspaceId}, v.contact_id, v.other, v.kind, v.value, v.message_id
      from jsonb_to_recordset(${tx.json(conflicts as never)}) as v(contact_id uuid, other uuid, kind text, value text, message_id text)`.execute(),
    )
  }

  const stored = placed.map(({ event, contactId }) => ({ ...event, contactId: resolve(contactId) }))
  const rows = stored.map((e) => ({
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
  const insertedEvents = tx`
    insert into events (workspace_id, message_id, contact_id, type, event, name, user_id, anonymous_id, timestamp, received_at, payload)
    select ${workspaceId}, v.message_id, v.contact_id, v.type, v.event, v.name, v.user_id, v.anonymous_id, v.timestamp, v.received_at, v.payload
    from jsonb_to_recordset(${tx.json(rows as never)}) as v(message_id text, contact_id uuid, type text, event text, name text,
      user_id text, anonymous_id text, timestamp timestamptz, received_at timestamptz, payload jsonb)
    on conflict (workspace_id, message_id) do nothing returning message_id`.execute()
  const [insertedRows] = await Promise.all([insertedEvents, ...inserts])
  const wasInserted = new Set(insertedRows.map((r) => r.message_id as string))
  const newEvents = stored.filter((e) => wasInserted.has(e.messageId))

  const changedTraits = new Map<string, Set<string>>()
  for (const e of newEvents) {
    const row = contacts.get(e.contactId)!
    row.dirty = true
    if (e.timestamp > row.lastSeen) row.lastSeen = e.timestamp
    if (e.timestamp < row.firstSeen) row.firstSeen = e.timestamp
    const traits = traitsOf(e.payload)
    if (traits && applyTraits(row.state, traits, `${e.timestamp}|${e.messageId}`)) {
      const set = changedTraits.get(row.id) ?? new Set<string>()
      for (const k of Object.keys(traits))
        if (row.state.times[k] === `${e.timestamp}|${e.messageId}`) set.add(k)
      changedTraits.set(row.id, set)
    }
    const touch = firstTouchOf(e)
    if (touch && (!row.firstTouch || touch.at < row.firstTouch.at)) row.firstTouch = touch
  }
  const subscriptionChanges = await recordPreferences(tx, workspaceId, newEvents)
  const touched = [...contacts.values()].filter((c) => c.dirty)
  const { scorer } = await rules.forVersion(tx, workspaceId, rulesVersion)
  const byContact = new Map<string, ScoringEvent[]>()
  for (const e of newEvents) {
    const list = byContact.get(e.contactId) ?? []
    list.push(toScoringEvent(e))
    byContact.set(e.contactId, list)
  }
  const now = new Date(Math.max(...fresh.map((e) => Date.parse(e.receivedAt))))
  const replay = new Set(merged.map((m) => m.into))
  const changes = await scoreContacts(tx, scorer, touched, byContact, replay, now)
  const alerts = await applyLifecycle(
    tx,
    workspaceId,
    { contacts, newEvents, changes, merged, now },
    enqueue,
  )
  const segments = await applyAudiences(
    tx,
    workspaceId,
    { rows: touched, newEvents, merged, now, scorer },
    enqueue,
  )
  // The last writes are independent of each other: one pipeline.
  await Promise.all([
    saveContacts(tx, workspaceId, touched),
    recordHistory(tx, workspaceId, changes),
    enqueue(
      tx,
      workspaceId,
      webhookEvents(contacts, changes, changedTraits, subscriptionChanges, merged, now),
    ),
  ])
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

async function recordHistory(tx: Tx, workspaceId: string, changes: ScoreChange[]) {
  if (changes.length === 0) return
  await tx`insert into score_history (workspace_id, contact_id, at, fit, engagement, total, grade)
    select ${workspaceId}, v.contact_id, v.at, v.fit, v.engagement, v.total, v.grade
    from jsonb_to_recordset(${tx.json(changes.map((c) => ({ contact_id: c.contactId, at: c.at, fit: c.fit, engagement: c.engagement, total: c.total, grade: c.grade })) as never)})
      as v(contact_id uuid, at timestamptz, fit double precision, engagement double precision, total double precision, grade text)`
}

/** What this request changed, as webhook events (written to the outbox with the change). */
function webhookEvents(
  contacts: Map<string, ContactRow>,
  changes: ScoreChange[],
  changedTraits: Map<string, Set<string>>,
  subscriptions: { contactId: string; topic: string; status: string; at: string }[],
  merged: { from: string; into: string }[],
  now: Date,
): WebhookEvent[] {
  const at = now.toISOString()
  const out: WebhookEvent[] = []
  for (const c of changes) {
    const data = {
      fit: c.fit,
      engagement: c.engagement,
      total: c.total,
      grade: c.grade,
      previousTotal: c.previousTotal,
      previousGrade: c.previousGrade,
    }
    out.push({ type: 'contact.score_changed', contactId: c.contactId, data, at })
    if (c.grade !== c.previousGrade)
      out.push({ type: 'contact.grade_changed', contactId: c.contactId, data, at })
  }
  for (const [id, keys] of changedTraits) {
    const traits = contacts.get(id)?.state.traits ?? {}
    const changed = Object.fromEntries([...keys].map((k) => [k, traits[k]]))
    out.push({ type: 'contact.traits_changed', contactId: id, data: { changed, traits }, at })
  }
  for (const s of subscriptions) {
    out.push({
      type: 'contact.subscription_changed',
      contactId: s.contactId,
      data: { topic: s.topic, status: s.status, at: s.at },
      at,
    })
  }
  for (const m of merged)
    out.push({ type: 'contact.merged', contactId: m.into, data: { mergedId: m.from }, at })
  return out
}

/**
 * Moves everything of contact `from` to `into` and leaves `from` as a redirect. Earlier
 * redirects to `from` are re-pointed, so every merged-away id resolves in one hop, forever.
 */
async function applyMerge(
  tx: Tx,
  workspaceId: string,
  from: string,
  into: string,
  reason: { messageId: string; via: Identifier[] },
): Promise<void> {
  await tx`update identities set contact_id = ${into} where contact_id = ${from}`
  await tx`update events set contact_id = ${into} where contact_id = ${from}`
  await tx`update contacts set merged_into = ${into}, updated_at = now()
    where id = ${from} or merged_into = ${from}`
  await tx`update identity_conflicts set contact_id = ${into} where contact_id = ${from}`
  await tx`update identity_conflicts set other_contact_id = ${into} where other_contact_id = ${from}`
  await tx`update score_history set contact_id = ${into} where contact_id = ${from}`
  await mergePreferences(tx, from, into)
  await tx`insert into merges (workspace_id, from_contact, into_contact, reason)
    values (${workspaceId}, ${from}, ${into}, ${tx.json(reason as never)})`
}

/** Moves preferences on merge; per topic or category, the later choice wins. */
async function mergePreferences(tx: Tx, from: string, into: string) {
  await tx`insert into subscriptions as s (workspace_id, contact_id, topic, status, updated_at, source, message_id)
    select workspace_id, ${into}, topic, status, updated_at, source, message_id from subscriptions where contact_id = ${from}
    on conflict (contact_id, topic) do update set status = excluded.status, updated_at = excluded.updated_at,
      source = excluded.source, message_id = excluded.message_id
    where (excluded.updated_at, excluded.message_id) > (s.updated_at, s.message_id)`
  await tx`delete from subscriptions where contact_id = ${from}`
  await tx`update subscription_events set contact_id = ${into} where contact_id = ${from}`
  await tx`insert into consents as s (workspace_id, contact_id, category, granted, updated_at, message_id)
    select workspace_id, ${into}, category, granted, updated_at, message_id from consents where contact_id = ${from}
    on conflict (contact_id, category) do update set granted = excluded.granted,
      updated_at = excluded.updated_at, message_id = excluded.message_id
    where (excluded.updated_at, excluded.message_id) > (s.updated_at, s.message_id)`
  await tx`delete from consents where contact_id = ${from}`
}
