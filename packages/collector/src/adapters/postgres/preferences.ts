import { SEMANTIC_EVENTS } from '@lodestone/protocol'
import type { PendingQuery, Row } from 'postgres'
import type { Tx } from './contact-rows.js'

export interface SubscriptionChange {
  contactId: string
  topic: string
  status: string
  at: string
}

interface StoredEvent {
  messageId: string
  contactId: string
  timestamp: string
  event: string | null
  payload: { properties?: unknown; context?: unknown }
}

const MAX_TOPICS = 50
const text = (v: unknown, max = 512) => (typeof v === 'string' && v ? v.slice(0, max) : null)

/** `subscribed`/`unsubscribed` from the values clients send (also booleans and opt-in words). */
export function subscriptionStatus(v: unknown): 'subscribed' | 'unsubscribed' | null {
  if (v === true || v === 'subscribed' || v === 'opted_in' || v === 'opt-in') return 'subscribed'
  if (v === false || v === 'unsubscribed' || v === 'opted_out' || v === 'opt-out')
    return 'unsubscribed'
  if (v && typeof v === 'object') return subscriptionStatus((v as { status?: unknown }).status)
  return null
}

function entries(obj: unknown): [string, unknown][] {
  return obj && typeof obj === 'object' && !Array.isArray(obj)
    ? Object.entries(obj).slice(0, MAX_TOPICS)
    : []
}

/**
 * Records `Subscription Preferences Updated` and `Consent Updated` events: an audit row for every
 * topic an event states (what an email platform needs to prove opt-in), and the current state,
 * which only a later event (by timestamp) may change, so late arrivals never undo newer choices.
 */
export async function recordPreferences(
  tx: Tx,
  workspaceId: string,
  events: readonly StoredEvent[],
): Promise<SubscriptionChange[]> {
  const audit: Record<string, unknown>[] = []
  const consents: Record<string, unknown>[] = []
  for (const e of events) {
    const props = (e.payload.properties ?? {}) as Record<string, unknown>
    const ctx = (e.payload.context ?? {}) as Record<string, unknown>
    if (e.event === SEMANTIC_EVENTS.subscriptionPreferencesUpdated) {
      for (const [topic, value] of entries(props.topics)) {
        const status = subscriptionStatus(value)
        if (!status || !topic) continue
        audit.push({
          contact_id: e.contactId,
          topic: topic.slice(0, 128),
          status,
          at: e.timestamp,
          source: text(props.source, 64),
          page: text((ctx.page as Record<string, unknown> | undefined)?.url, 2048),
          form: text(props.formId) ?? text(props.form),
          ip: text(ctx.ip, 64),
          message_id: e.messageId,
        })
      }
    } else if (e.event === SEMANTIC_EVENTS.consentUpdated) {
      for (const [category, value] of entries(props.categories)) {
        if (typeof value !== 'boolean' || !category) continue
        consents.push({
          contact_id: e.contactId,
          category: category.slice(0, 128),
          granted: value,
          at: e.timestamp,
          message_id: e.messageId,
        })
      }
    }
  }
  if (audit.length > 0) {
    await tx`insert into subscription_events (workspace_id, contact_id, topic, status, at, source, page, form, ip, message_id)
      select ${workspaceId}, v.contact_id, v.topic, v.status, v.at, v.source, v.page, v.form, v.ip, v.message_id
      from jsonb_to_recordset(${tx.json(audit as never)}) as v(contact_id uuid, topic text, status text,
        at timestamptz, source text, page text, form text, ip text, message_id text)`
    // One row per (contact, topic) in the statement: the latest by (timestamp, messageId).
    await tx`insert into subscriptions as s (workspace_id, contact_id, topic, status, updated_at, source, message_id)
      select distinct on (v.contact_id, v.topic) ${workspaceId}, v.contact_id, v.topic, v.status, v.at, v.source, v.message_id
      from jsonb_to_recordset(${tx.json(audit as never)}) as v(contact_id uuid, topic text, status text,
        at timestamptz, source text, message_id text)
      order by v.contact_id, v.topic, v.at desc, v.message_id desc
      on conflict (contact_id, topic) do update set status = excluded.status, updated_at = excluded.updated_at,
        source = excluded.source, message_id = excluded.message_id
      where (excluded.updated_at, excluded.message_id) > (s.updated_at, s.message_id)`
  }
  if (consents.length > 0) {
    await tx`insert into consents as s (workspace_id, contact_id, category, granted, updated_at, message_id)
      select distinct on (v.contact_id, v.category) ${workspaceId}, v.contact_id, v.category, v.granted, v.at, v.message_id
      from jsonb_to_recordset(${tx.json(consents as never)}) as v(contact_id uuid, category text, granted boolean,
        at timestamptz, message_id text)
      order by v.contact_id, v.category, v.at desc, v.message_id desc
      on conflict (contact_id, category) do update set granted = excluded.granted,
        updated_at = excluded.updated_at, message_id = excluded.message_id
      where (excluded.updated_at, excluded.message_id) > (s.updated_at, s.message_id)`
  }
  return audit.map((a) => ({
    contactId: a.contact_id as string,
    topic: a.topic as string,
    status: a.status as string,
    at: a.at as string,
  }))
}

/**
 * Moves preferences on merge, for every `m(f, i)` pair (from, into) of a batch at once; per
 * topic or category, the later choice wins. Returns the statements, started in order.
 */
export function mergePreferences(tx: Tx, pairs: PendingQuery<Row[]>): Promise<unknown>[] {
  return [
    tx`insert into subscriptions as s (workspace_id, contact_id, topic, status, updated_at, source, message_id)
    select distinct on (m.i, x.topic) x.workspace_id, m.i, x.topic, x.status, x.updated_at, x.source, x.message_id
    from subscriptions x join ${pairs} on x.contact_id = m.f
    order by m.i, x.topic, x.updated_at desc, x.message_id desc
    on conflict (contact_id, topic) do update set status = excluded.status, updated_at = excluded.updated_at,
      source = excluded.source, message_id = excluded.message_id
    where (excluded.updated_at, excluded.message_id) > (s.updated_at, s.message_id)`.execute(),
    tx`delete from subscriptions x using ${pairs} where x.contact_id = m.f`.execute(),
    tx`update subscription_events x set contact_id = m.i from ${pairs} where x.contact_id = m.f`.execute(),
    tx`insert into consents as s (workspace_id, contact_id, category, granted, updated_at, message_id)
    select distinct on (m.i, x.category) x.workspace_id, m.i, x.category, x.granted, x.updated_at, x.message_id
    from consents x join ${pairs} on x.contact_id = m.f
    order by m.i, x.category, x.updated_at desc, x.message_id desc
    on conflict (contact_id, category) do update set granted = excluded.granted,
      updated_at = excluded.updated_at, message_id = excluded.message_id
    where (excluded.updated_at, excluded.message_id) > (s.updated_at, s.message_id)`.execute(),
    tx`delete from consents x using ${pairs} where x.contact_id = m.f`.execute(),
  ]
}

/** A contact's subscriptions with their audit trail, and its consent, for the read API. */
export async function readPreferences(tx: Tx, contactId: string) {
  const [subs, trail, consents] = await Promise.all([
    tx`select topic, status, updated_at, source from subscriptions where contact_id = ${contactId} order by topic`,
    tx`select topic, status, at, source, page, form, ip, message_id from subscription_events
      where contact_id = ${contactId} order by at, id`,
    tx`select category, granted, updated_at from consents where contact_id = ${contactId} order by category`,
  ])
  const iso = (d: Date) => d.toISOString()
  const subscriptions: Record<string, unknown> = {}
  for (const s of subs) {
    Object.defineProperty(subscriptions, s.topic, {
      enumerable: true,
      value: {
        status: s.status,
        updatedAt: iso(s.updated_at),
        source: s.source,
        history: trail
          .filter((t) => t.topic === s.topic)
          .map((t) => ({
            status: t.status,
            at: iso(t.at),
            source: t.source,
            page: t.page,
            form: t.form,
            ip: t.ip,
            messageId: t.message_id,
          })),
      },
    })
  }
  const consent: Record<string, unknown> = {}
  for (const c of consents) {
    Object.defineProperty(consent, c.category, {
      enumerable: true,
      value: { granted: c.granted, updatedAt: iso(c.updated_at) },
    })
  }
  return { subscriptions, consent }
}
