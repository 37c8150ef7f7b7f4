import type { Fragment, Row, Sql } from 'postgres'
import type { Scorer } from '@lodestone/scoring'
import { audienceFilter } from './audience-filter.js'
import { decodeScoreCursor, rankedPage, scoreOfRow } from './score-order.js'
import { decodeCursor, encodeCursor, isDateKey, keysetPage } from './cursor.js'
import type { RulesCache } from './rules-cache.js'
import { loadScoringEvents } from './scoring.js'
import { readPreferences } from './preferences.js'
import { iso, listedContact, UUID, type Guard } from './rows.js'
import type { ContactRef, ContactView } from '../../ports.js'

// The read side of contacts: lookups (following merge redirects), lists, events, GDPR erasure.
// createContactReads (at the end) wires each read below into the store, inside its guard.

/** What the reads below need: the connection, the scoring rules, the clock. */
interface Reads {
  sql: Sql
  rules: RulesCache
  clock: () => Date
}

export interface ContactFilter {
  /** `traits.<name>` equals this string value. */
  traits?: Record<string, string>
  limit: number
  cursor?: string
  sort: 'lastSeen' | 'score'
  segmentId?: string
  accountId?: string
  /** The moment scores are shown at (default: the clock). */
  now?: Date
}

/** Shapes one event row as Segment does, plus receivedAt and contactId (docs/identity.md, API). */
export function eventView(r: Record<string, unknown>) {
  const p = r.payload as Record<string, unknown>
  return {
    ...p,
    messageId: r.message_id,
    type: r.type,
    timestamp: iso(r.timestamp),
    receivedAt: iso(r.received_at),
    contactId: r.contact_id,
  }
}

/** The surviving contact of an id (a merged-away id answers with the one it merged into). */
async function resolveId(sql: Sql, workspaceId: string, id: string): Promise<string | null> {
  if (!UUID.test(id)) return null
  const [row] = await sql`select coalesce(merged_into, id) as id from contacts
    where workspace_id = ${workspaceId} and id = ${id}`
  return row ? (row.id as string) : null
}

/** The contact an identifier belongs to (e-mail addresses compared trimmed and lower-case). */
async function findByIdentifier(sql: Sql, workspaceId: string, kind: string, value: string) {
  const v = kind === 'email' ? value.trim().toLowerCase() : value
  const [row] = await sql`select contact_id from identities
    where workspace_id = ${workspaceId} and kind = ${kind} and value = ${v}`
  return row ? (row.contact_id as string) : null
}

/** A contact by id or identifier, with its profile; null when there is none. */
async function getContact(r: Reads, workspaceId: string, ref: ContactRef, now: Date) {
  const id =
    'id' in ref
      ? await resolveId(r.sql, workspaceId, ref.id)
      : await findByIdentifier(r.sql, workspaceId, ref.kind, ref.value)
  return id ? loadContact(r, workspaceId, id, now) : null
}

/** One contact's profile: traits, score as of `now`, preferences, identities and history. */
async function loadContact(
  r: Reads,
  workspaceId: string,
  id: string,
  now: Date,
): Promise<ContactView | null> {
  const { sql } = r
  const [c] = await sql`select * from contacts where workspace_id = ${workspaceId} and id = ${id}`
  if (!c) return null
  const [identities, merges, conflicts] = await Promise.all([
    sql`select kind, value, linked_at from identities where contact_id = ${id} order by kind, value`,
    sql`select from_contact, reason, merged_at from merges where into_contact = ${id} order by merged_at`,
    sql`select contact_id, other_contact_id, kind, value, message_id, detected_at from identity_conflicts
      where contact_id = ${id} or other_contact_id = ${id} order by id`,
  ])
  const { scorer } = await r.rules.current(sql, workspaceId)
  const score = await profileScore(sql, scorer, c, now)
  const { subscriptions, consent } = await readPreferences(sql, id)
  return {
    id: c.id as string,
    traits: c.traits as Record<string, unknown>,
    score,
    subscriptions,
    consent,
    identities: identities.map((i) => ({
      kind: i.kind,
      value: i.value,
      linkedAt: iso(i.linked_at),
    })),
    firstSeen: iso(c.first_seen),
    lastSeen: iso(c.last_seen),
    firstTouch: c.first_touch ?? null,
    mergedFrom: merges.map((m) => ({
      id: m.from_contact,
      at: iso(m.merged_at),
      reason: m.reason,
    })),
    conflicts: conflicts.map((x) => ({
      contactId: x.contact_id === id ? x.other_contact_id : x.contact_id,
      kind: x.kind,
      value: x.value,
      messageId: x.message_id,
      at: iso(x.detected_at),
    })),
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  }
}

/** A profile's score with its breakdown: the engine's breakdown, the stored key's figures. */
async function profileScore(sql: Sql, scorer: Scorer, c: Row, now: Date) {
  const id = c.id as string
  // A state built under older rules is replayed here until the rescore reaches this contact.
  const current = c.score_rules === scorer.fingerprint
  const state = current
    ? c.score_state
    : scorer.replay((await loadScoringEvents(sql, [id])).get(id) ?? [])
  const { engagementRaw: _raw, ...score } = scorer.score(state, c.traits, now)
  // The figures from the stored key, as every list shows them.
  if (current) Object.assign(score, scoreOfRow(c as never, scorer, now.getTime()))
  return score
}

/** A page of contacts by score or by last seen, passing the trait, segment and account filters. */
async function listContacts(r: Reads, workspaceId: string, f: ContactFilter) {
  const { sql } = r
  const filter = Object.entries(f.traits ?? {}).reduce(
    (acc, [k, v]) => sql`${acc} and c.traits ->> ${k} = ${v}`,
    audienceFilter(sql, workspaceId, f),
  )
  return f.sort === 'score'
    ? listByScore(r, workspaceId, f, filter)
    : listByLastSeen(r, workspaceId, f, filter)
}

/** Contacts by their score as of now (a later page keeps the first page's moment). */
async function listByScore(r: Reads, workspaceId: string, f: ContactFilter, filter: Fragment) {
  const after = decodeScoreCursor(f.cursor)
  const nowMs = after?.nowMs ?? (f.now ?? r.clock()).getTime()
  const { scorer } = await r.rules.current(r.sql, workspaceId)
  const { page, next } = await rankedPage(r.sql, {
    workspaceId,
    scorer,
    nowMs,
    limit: f.limit,
    after,
    filter,
    columns: r.sql`c.id, c.traits, c.first_seen, c.last_seen`,
  })
  return { contacts: page.map((row) => listedContact(row, scorer, nowMs)), next }
}

/** Contacts seen most recently first. */
async function listByLastSeen(r: Reads, workspaceId: string, f: ContactFilter, filter: Fragment) {
  const { sql } = r
  const after = decodeCursor(f.cursor, 2, ([k]) => isDateKey(k)) as [string, string] | null
  const { scorer } = await r.rules.current(sql, workspaceId)
  const nowMs = (f.now ?? r.clock()).getTime()
  const rows = await sql`
    select c.id, c.traits, c.first_seen, c.last_seen, c.score_fit, c.score_key from contacts c
    where c.workspace_id = ${workspaceId} and c.merged_into is null
    ${after ? sql`and (c.last_seen, c.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
    and ${filter}
    order by c.last_seen desc, c.id desc
    limit ${f.limit + 1}`
  const { page, next } = keysetPage(rows, f.limit, (last) =>
    encodeCursor([iso(last.last_seen), last.id]),
  )
  return { contacts: page.map((row) => listedContact(row, scorer, nowMs)), next }
}

/** A contact's events, newest first; null when there is no such contact. */
async function contactEvents(
  sql: Sql,
  workspaceId: string,
  id: string,
  opts: { limit: number; cursor?: string },
) {
  const contactId = await resolveId(sql, workspaceId, id)
  if (!contactId) return null
  const after = decodeCursor(opts.cursor, 2, ([k]) => isDateKey(k)) as [string, string] | null
  const rows = await sql`select * from events where contact_id = ${contactId}
    and workspace_id = ${workspaceId}
    ${after ? sql`and (timestamp, seq) < (${after[0]}::timestamptz, ${after[1]}::bigint)` : sql``}
    order by timestamp desc, seq desc limit ${opts.limit + 1}`
  const { page, next } = keysetPage(rows, opts.limit, (last) =>
    encodeCursor([iso(last.timestamp), String(last.seq)]),
  )
  return { events: page.map(eventView), next }
}

/**
 * Removes a contact, its identities, events, every id merged into it and every row of any
 * table that names one of them (GDPR erasure; test/reliability/privacy.test.ts reads every
 * table afterwards).
 */
function deleteContact(sql: Sql, workspaceId: string, id: string) {
  return sql.begin(async (tx) => {
    const [row] = await tx`select coalesce(merged_into, id) as id from contacts
      where workspace_id = ${workspaceId} and id = ${UUID.test(id) ? id : null}`
    if (!row) return false
    const target = row.id as string
    const ids = (
      await tx`select id from contacts where id = ${target} or merged_into = ${target}`
    ).map((r) => r.id as string)
    await tx`delete from events where workspace_id = ${workspaceId} and contact_id = any(${ids}::uuid[])`
    await tx`delete from identities where workspace_id = ${workspaceId} and contact_id = any(${ids}::uuid[])`
    await tx`delete from identity_conflicts where workspace_id = ${workspaceId}
      and (contact_id = any(${ids}::uuid[]) or other_contact_id = any(${ids}::uuid[]))`
    await tx`delete from merges where workspace_id = ${workspaceId}
      and (into_contact = any(${ids}::uuid[]) or from_contact = any(${ids}::uuid[]))`
    // Every other table that holds a contact's rows, read from the schema rather than listed:
    // subscriptions, consents, score history, webhook payloads (they carry traits), alerts,
    // and the segment, list and account tables, which no foreign key cascades from the
    // contact (migration 0018) — a table added later is erased without anyone remembering to.
    const tables = await tx`select c.table_name as name from information_schema.columns c
      join information_schema.tables t
        on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and c.column_name = 'contact_id'
        and t.table_type = 'BASE TABLE'
        and c.table_name not in ('events', 'identities', 'identity_conflicts')
      order by c.table_name`
    for (const { name } of tables) {
      await tx`delete from ${tx(name as string)} where contact_id = any(${ids}::uuid[])`
    }
    await tx`delete from contacts where workspace_id = ${workspaceId} and id = any(${ids}::uuid[])`
    return true
  })
}

/** The contact reads of the store, each inside `guard`. */
export function createContactReads(
  sql: Sql,
  guard: Guard,
  rules: RulesCache,
  clock: () => Date = () => new Date(),
) {
  const r: Reads = { sql, rules, clock }
  return {
    /** A contact by id (a merged-away id answers with the survivor) or by identifier. */
    getContact: (workspaceId: string, ref: ContactRef, now: Date = clock()) =>
      guard(() => getContact(r, workspaceId, ref, now)),
    listContacts: (workspaceId: string, f: ContactFilter) =>
      guard(() => listContacts(r, workspaceId, f)),
    contactEvents: (workspaceId: string, id: string, opts: { limit: number; cursor?: string }) =>
      guard(() => contactEvents(sql, workspaceId, id, opts)),
    deleteContact: (workspaceId: string, id: string) =>
      guard(() => deleteContact(sql, workspaceId, id)),
    resolveContactId: (workspaceId: string, id: string) =>
      guard(() => resolveId(sql, workspaceId, id)),
    findContactByIdentifier: (workspaceId: string, kind: string, value: string) =>
      guard(() => findByIdentifier(sql, workspaceId, kind, value)),
  }
}
