import type { Fragment, Sql } from 'postgres'
import type { Scorer } from '@lodestone/scoring'
import { audienceFilter } from './audience-filter.js'
import { decodeScoreCursor, encodeScoreCursor, rankedContacts, scoreOfRow } from './score-order.js'
import { decodeCursor, encodeCursor, isDateKey } from './cursor.js'
import type { RulesCache } from './rules-cache.js'
import { loadScoringEvents } from './scoring.js'
import { readPreferences } from './preferences.js'
import type { ContactRef, ContactView } from '../../ports.js'

type Guard = <T>(fn: () => Promise<T>) => Promise<T>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string))

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

const listed = (r: Record<string, unknown>, scorer: Scorer, nowMs: number) => ({
  id: r.id as string,
  traits: r.traits as Record<string, unknown>,
  firstSeen: iso(r.first_seen),
  lastSeen: iso(r.last_seen),
  score: scoreOfRow(r as never, scorer, nowMs),
})

/** Read side of contacts: lookups (following merge redirects), lists, events, GDPR. */
export function createContactReads(
  sql: Sql,
  guard: Guard,
  rules: RulesCache,
  clock: () => Date = () => new Date(),
) {
  async function resolveId(workspaceId: string, id: string): Promise<string | null> {
    if (!UUID.test(id)) return null
    const [row] = await sql`select coalesce(merged_into, id) as id from contacts
      where workspace_id = ${workspaceId} and id = ${id}`
    return row ? (row.id as string) : null
  }

  async function findByIdentifier(workspaceId: string, kind: string, value: string) {
    const v = kind === 'email' ? value.trim().toLowerCase() : value
    const [row] = await sql`select contact_id from identities
      where workspace_id = ${workspaceId} and kind = ${kind} and value = ${v}`
    return row ? (row.contact_id as string) : null
  }

  async function loadContact(workspaceId: string, id: string, now: Date) {
    const [c] = await sql`select * from contacts where workspace_id = ${workspaceId} and id = ${id}`
    if (!c) return null
    const [identities, merges, conflicts] = await Promise.all([
      sql`select kind, value, linked_at from identities where contact_id = ${id} order by kind, value`,
      sql`select from_contact, reason, merged_at from merges where into_contact = ${id} order by merged_at`,
      sql`select contact_id, other_contact_id, kind, value, message_id, detected_at from identity_conflicts
        where contact_id = ${id} or other_contact_id = ${id} order by id`,
    ])
    const { scorer } = await rules.current(sql, workspaceId)
    // A state built under older rules is replayed here until the rescore reaches this contact.
    const state =
      c.score_rules === scorer.fingerprint
        ? c.score_state
        : scorer.replay((await loadScoringEvents(sql, [id])).get(id) ?? [])
    // The breakdown from the engine; the figures from the stored key, as every list shows them.
    const { engagementRaw: _raw, ...score } = scorer.score(state, c.traits, now)
    if (c.score_rules === scorer.fingerprint)
      Object.assign(score, scoreOfRow(c as never, scorer, now.getTime()))
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

  /** Contacts by their score as of now (a later page keeps the first page's moment). */
  async function listByScore(workspaceId: string, f: ContactFilter, filter: Fragment) {
    const after = decodeScoreCursor(f.cursor)
    const nowMs = after?.nowMs ?? (f.now ?? clock()).getTime()
    const { scorer } = await rules.current(sql, workspaceId)
    const rows = await rankedContacts(sql, {
      workspaceId,
      scorer,
      nowMs,
      limit: f.limit + 1,
      after,
      filter,
      columns: sql`c.id, c.traits, c.first_seen, c.last_seen`,
    })
    const page = rows.slice(0, f.limit)
    const last = page[page.length - 1]
    return {
      contacts: page.map((r) => listed(r, scorer, nowMs)),
      next:
        rows.length > f.limit && last
          ? encodeScoreCursor({ fit: last.score_fit, key: last.score_key, id: last.id, nowMs })
          : null,
    }
  }

  return {
    /** A contact by id (a merged-away id answers with the survivor) or by identifier. */
    async getContact(
      workspaceId: string,
      ref: ContactRef,
      now: Date = clock(),
    ): Promise<ContactView | null> {
      return guard(async () => {
        const id =
          'id' in ref
            ? await resolveId(workspaceId, ref.id)
            : await findByIdentifier(workspaceId, ref.kind, ref.value)
        return id ? loadContact(workspaceId, id, now) : null
      })
    },

    async listContacts(workspaceId: string, f: ContactFilter) {
      return guard(async () => {
        const traitConds = Object.entries(f.traits ?? {}).map(
          ([k, v]) => sql`and c.traits ->> ${k} = ${v}`,
        )
        const traitFilter = traitConds.reduce(
          (acc, cond) => sql`${acc} ${cond}`,
          audienceFilter(sql, workspaceId, f),
        )
        if (f.sort === 'score') return listByScore(workspaceId, f, traitFilter)
        const after = decodeCursor(f.cursor, 2, ([k]) => isDateKey(k)) as [string, string] | null
        const { scorer } = await rules.current(sql, workspaceId)
        const nowMs = (f.now ?? clock()).getTime()
        const rows = await sql`
          select c.id, c.traits, c.first_seen, c.last_seen, c.score_fit, c.score_key from contacts c
          where c.workspace_id = ${workspaceId} and c.merged_into is null
          ${after ? sql`and (c.last_seen, c.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
          and ${traitFilter}
          order by c.last_seen desc, c.id desc
          limit ${f.limit + 1}`
        const page = rows.slice(0, f.limit)
        const last = page[page.length - 1]
        return {
          contacts: page.map((r) => listed(r, scorer, nowMs)),
          next: rows.length > f.limit && last ? encodeCursor([iso(last.last_seen), last.id]) : null,
        }
      })
    },

    async contactEvents(workspaceId: string, id: string, opts: { limit: number; cursor?: string }) {
      return guard(async () => {
        const contactId = await resolveId(workspaceId, id)
        if (!contactId) return null
        const after = decodeCursor(opts.cursor, 2, ([k]) => isDateKey(k)) as [string, string] | null
        const rows = await sql`select * from events where contact_id = ${contactId}
          and workspace_id = ${workspaceId}
          ${after ? sql`and (timestamp, seq) < (${after[0]}::timestamptz, ${after[1]}::bigint)` : sql``}
          order by timestamp desc, seq desc limit ${opts.limit + 1}`
        const page = rows.slice(0, opts.limit)
        const last = page[page.length - 1]
        return {
          events: page.map(eventView),
          next:
            rows.length > opts.limit && last
              ? encodeCursor([iso(last.timestamp), String(last.seq)])
              : null,
        }
      })
    },

    /** Removes a contact, its identities, events, and every id merged into it (GDPR erasure). */
    async deleteContact(workspaceId: string, id: string) {
      return guard(() =>
        sql.begin(async (tx) => {
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
          for (const table of [
            'subscriptions',
            'subscription_events',
            'consents',
            'score_history',
            // Pending and logged webhook payloads carry the contact's traits.
            'webhook_deliveries',
          ]) {
            await tx`delete from ${tx(table)} where workspace_id = ${workspaceId} and contact_id = any(${ids}::uuid[])`
          }
          await tx`delete from contacts where workspace_id = ${workspaceId} and id = any(${ids}::uuid[])`
          return true
        }),
      )
    },

    resolveContactId: (workspaceId: string, id: string) => guard(() => resolveId(workspaceId, id)),
    findContactByIdentifier: (workspaceId: string, kind: string, value: string) =>
      guard(() => findByIdentifier(workspaceId, kind, value)),
  }
}
