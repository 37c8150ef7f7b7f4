import {
  LIFECYCLE_EVENT_SCHEMAS,
  isLifecycleEvent,
  type LifecycleProperties,
  type SurveyKind,
} from '@lodestone/protocol'

/**
 * A stored event as the lifecycle modules read it. From the collector's `EnrichedEvent`:
 * `{ event: e.event, timestamp: e.timestamp, properties: e.payload.properties }`.
 */
export interface LifecycleEventInput {
  event: string | null | undefined
  timestamp: string | number | Date
  properties?: Record<string, unknown> | null
}

export interface Money {
  amount: number
  currency: string
}
export interface OrderFact extends Money {
  at: number
}
export interface DealFact extends Money {
  won: boolean
  at: number
}
export interface TicketFact {
  createdAt: number
  resolvedAt: number | null
  resolutionMinutes: number | null
  open: boolean
}
export interface SurveyFact {
  score: number
  at: number
}

/** What a contact's lifecycle events add up to, keyed by the sender's ids. */
export interface LifecycleFacts {
  orders: Map<string, OrderFact>
  deals: Map<string, DealFact>
  tickets: Map<string, TicketFact>
  surveys: Partial<Record<SurveyKind, SurveyFact>>
}

/** The earliest time a JavaScript Date holds (ECMA-262: 10^8 days before 1970). */
const EARLIEST_DATE = -8.64e15
const MINUTE = 60_000

type Parsed = {
  [K in keyof LifecycleProperties]: { event: K; at: number; p: LifecycleProperties[K] }
}

/**
 * Folds events into facts. Events are re-sorted by time (stable), and ids dedupe: an order
 * sent twice counts once, a deal's latest outcome wins, a ticket created again after being
 * resolved is open again. So replaying the same events in any order gives the same facts.
 * Events that fail their schema are skipped: ingest reports them, they must not skew traits.
 */
export function collectFacts(events: readonly LifecycleEventInput[]): LifecycleFacts {
  const facts: LifecycleFacts = {
    orders: new Map(),
    deals: new Map(),
    tickets: new Map(),
    surveys: {},
  }
  const parsed: Parsed[keyof Parsed][] = []
  for (const e of events) {
    if (!isLifecycleEvent(e.event)) continue
    const at = new Date(e.timestamp).getTime()
    if (!Number.isFinite(at)) continue
    const r = LIFECYCLE_EVENT_SCHEMAS[e.event].safeParse(e.properties ?? {})
    if (r.success) parsed.push({ event: e.event, at, p: r.data } as Parsed[keyof Parsed])
  }
  parsed.sort((a, b) => a.at - b.at)
  for (const e of parsed) apply(facts, e)
  return facts
}

function apply(facts: LifecycleFacts, e: Parsed[keyof Parsed]): void {
  switch (e.event) {
    case 'Order Completed': {
      const amount = e.p.revenue ?? e.p.total ?? 0
      facts.orders.set(e.p.orderId, { amount, currency: e.p.currency, at: e.at })
      return
    }
    case 'Deal Won':
    case 'Deal Lost':
      facts.deals.set(e.p.dealId, {
        amount: e.p.amount,
        currency: e.p.currency,
        won: e.event === 'Deal Won',
        at: e.at,
      })
      return
    case 'Ticket Created': {
      const prev = facts.tickets.get(e.p.ticketId)
      facts.tickets.set(e.p.ticketId, {
        createdAt: prev?.createdAt ?? e.at,
        resolvedAt: null,
        resolutionMinutes: null,
        open: true,
      })
      return
    }
    case 'Ticket Resolved': {
      const prev = facts.tickets.get(e.p.ticketId)
      const minutes = e.p.resolutionMinutes ?? null
      // Without a `Ticket Created`, the creation time is inferred from the resolution time,
      // never earlier than a date can be (an absurd `resolutionMinutes` must not break traits).
      const createdAt = prev?.createdAt ?? Math.max(e.at - (minutes ?? 0) * MINUTE, EARLIEST_DATE)
      facts.tickets.set(e.p.ticketId, {
        createdAt,
        resolvedAt: e.at,
        resolutionMinutes: minutes ?? Math.max(0, (e.at - createdAt) / MINUTE),
        open: false,
      })
      return
    }
    case 'Survey Responded':
      facts.surveys[e.p.kind] = { score: e.p.score, at: e.at }
      return
  }
}
