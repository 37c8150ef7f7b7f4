// The in-memory planning of one ingest batch (docs/identity.md): no I/O, no clock, no randomness of its
// own. The store adapter loads a snapshot under its locks, runs these steps through
// pipeline/batch.ts and writes what they decide in a few set-based statements per batch.
import type { ScoringEvent } from '@lodestone/scoring'
import type { EnrichedEvent, ScoreChange } from '../ports.js'
import { createGraph, planEvent, type IdentityAction } from '../identity/planner.js'
import { identifierKey, identifiersOf, type Identifier } from '../identity/identifiers.js'
import { applyTraits, mergeTraitStates, traitsOf } from '../identity/traits.js'
import type { WebhookEvent } from '../webhooks/types.js'
import { NO_SCORE, type ContactRow, type FirstTouch } from './contact.js'

/** An event placed on its (final) contact. */
export type PlacedEvent = EnrichedEvent & { contactId: string }

/** A persisted contact merged away by the batch, into the batch's final survivor. */
export interface MergePlan {
  from: string
  into: string
  messageId: string
  via: Identifier[]
}

export interface LinkPlan {
  kind: string
  value: string
  contactId: string
  at: string
}

export interface ConflictPlan {
  contactId: string
  otherContactId: string
  kind: string
  value: string
  messageId: string
}

/** What the store read under the batch's locks. */
export interface BatchSnapshot {
  /** Owners of the identifiers the batch names. */
  owned: readonly { kind: string; value: string; contactId: string }[]
  /** The owning contacts, locked. The plan takes ownership: rows are updated in place. */
  contacts: Map<string, ContactRow>
}

export interface IdentityPlan {
  /** Every fresh event, in processing order, on its final contact. */
  placed: PlacedEvent[]
  /** The batch's contacts after its merges (merged-away ones removed, new ones added). */
  contacts: Map<string, ContactRow>
  /** Merges of stored contacts, in the order they happened. */
  merges: MergePlan[]
  links: LinkPlan[]
  conflicts: ConflictPlan[]
}

/** Every identifier the events name (and `previousId` as both kinds), once each. */
export function wantedIdentifiers(events: readonly EnrichedEvent[]): Identifier[] {
  const wanted = new Map<string, Identifier>()
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

/** The advisory-lock keys of a batch: every identifier it may read or link, per workspace. */
export function lockKeys(workspaceId: string, events: readonly EnrichedEvent[]): string[] {
  return lockKeysOf(workspaceId, wantedIdentifiers(events))
}

/** {@link lockKeys} of identifiers already found by {@link wantedIdentifiers}. */
export const lockKeysOf = (workspaceId: string, ids: readonly Identifier[]): string[] =>
  ids.map((id) => `${workspaceId}\u001f${identifierKey(id)}`)

/** Time order, then messageId: the order every process applies a batch's events in. */
export const byTimeThenId = (a: EnrichedEvent, b: EnrichedEvent) =>
  a.timestamp === b.timestamp
    ? a.messageId < b.messageId
      ? -1
      : 1
    : a.timestamp < b.timestamp
      ? -1
      : 1

const newRow = (id: string, userId: string | null, at: string): ContactRow => ({
  id,
  userId,
  firstSeen: at,
  lastSeen: at,
  state: { traits: {}, times: {} },
  firstTouch: null,
  score: NO_SCORE,
  isNew: true,
  dirty: true,
})

/**
 * Resolves every event of the batch to a contact, in order, as if the events came one by one:
 * which contacts to create, which stored contacts merge into which (always into the batch's
 * final survivor, so merges can be written in one pass), which identifiers to link and which
 * conflicts to record.
 */
export function planIdentities(
  fresh: readonly EnrichedEvent[],
  { owned, contacts }: BatchSnapshot,
  newId: () => string,
): IdentityPlan {
  const graph = createGraph()
  for (const r of owned)
    graph.owners.set(identifierKey({ kind: r.kind, value: r.value }), r.contactId)
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
      newId,
    )
    placed.push({ event, contactId: plan.contactId })
    for (const a of plan.actions) {
      actions.push(a)
      if (a.kind === 'create') {
        contacts.set(a.contact.id, newRow(a.contact.id, a.contact.userId, a.contact.firstSeen))
      } else if (a.kind === 'merge') {
        mergeRows(contacts.get(a.into)!, contacts.get(a.from)!)
        redirect.set(a.from, a.into)
      }
    }
  }

  const merges: MergePlan[] = []
  const links: LinkPlan[] = []
  const conflicts: ConflictPlan[] = []
  for (const a of actions) {
    if (a.kind === 'merge') {
      const from = contacts.get(a.from)!
      contacts.delete(a.from)
      if (!from.isNew)
        merges.push({ from: a.from, into: resolve(a.into), messageId: a.messageId, via: a.via })
    } else if (a.kind === 'link') {
      links.push({ ...a.identifier, contactId: resolve(a.contactId), at: a.at })
    } else if (a.kind === 'conflict') {
      conflicts.push({
        contactId: resolve(a.contactId),
        otherContactId: resolve(a.otherContactId),
        kind: a.identifier.kind,
        value: a.identifier.value,
        messageId: a.messageId,
      })
    }
  }
  return {
    placed: placed.map(({ event, contactId }) => ({ ...event, contactId: resolve(contactId) })),
    contacts,
    merges,
    links,
    conflicts,
  }
}

/** Folds contact `from` into `into`: traits by stamp, the wider time span, the earlier touch. */
function mergeRows(into: ContactRow, from: ContactRow): void {
  mergeTraitStates(into.state, from.state)
  if (from.firstSeen < into.firstSeen) into.firstSeen = from.firstSeen
  if (from.lastSeen > into.lastSeen) into.lastSeen = from.lastSeen
  if (from.firstTouch && (!into.firstTouch || from.firstTouch.at < into.firstTouch.at))
    into.firstTouch = from.firstTouch
  into.userId ??= from.userId
  into.dirty = true
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

/** What the stored events did to their contacts, for scoring, lifecycle and webhooks. */
export interface EventEffects {
  /** Per contact, the traits an event of this batch set. */
  changedTraits: Map<string, Set<string>>
  /** Per contact, its new events in the scoring engine's shape. */
  scoringEvents: Map<string, ScoringEvent[]>
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
 * Applies the events the store actually inserted to their contacts (seen times, traits by
 * stamp, first touch); rows are updated in place and marked dirty.
 */
export function applyStoredEvents(
  contacts: Map<string, ContactRow>,
  stored: readonly PlacedEvent[],
): EventEffects {
  const changedTraits = new Map<string, Set<string>>()
  const scoringEvents = new Map<string, ScoringEvent[]>()
  for (const e of stored) {
    const row = contacts.get(e.contactId)!
    row.dirty = true
    if (e.timestamp > row.lastSeen) row.lastSeen = e.timestamp
    if (e.timestamp < row.firstSeen) row.firstSeen = e.timestamp
    const traits = traitsOf(e.payload)
    const stamp = `${e.timestamp}|${e.messageId}`
    if (traits && applyTraits(row.state, traits, stamp)) {
      const set = changedTraits.get(row.id) ?? new Set<string>()
      for (const k of Object.keys(traits)) if (row.state.times[k] === stamp) set.add(k)
      changedTraits.set(row.id, set)
    }
    const touch = firstTouchOf(e)
    if (touch && (!row.firstTouch || touch.at < row.firstTouch.at)) row.firstTouch = touch
    const list = scoringEvents.get(e.contactId) ?? []
    list.push(toScoringEvent(e))
    scoringEvents.set(e.contactId, list)
  }
  return { changedTraits, scoringEvents }
}

/** What a batch changed, as webhook events (written to the outbox with the change). */
export function webhookEvents(
  contacts: Map<string, ContactRow>,
  changes: readonly ScoreChange[],
  changedTraits: Map<string, Set<string>>,
  subscriptions: readonly { contactId: string; topic: string; status: string; at: string }[],
  merged: readonly { from: string; into: string }[],
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
