import { ScoringError } from './errors.js'
import { isRecord } from './values.js'

/**
 * The part of a Segment event the engine reads. Collector events (`EnrichedEvent.payload`
 * with its corrected `timestamp`) fit this shape as they are.
 */
export interface ScoringEvent {
  type: string
  event?: string | null
  name?: string | null
  properties?: Record<string, unknown> | null
  context?: { page?: { url?: string | null; path?: string | null } | null } | null
  /** ISO-8601; the engine's only notion of time for events. */
  timestamp: string
  messageId?: string | null
}

/** What matchers look at, computed once per event. */
export interface EventView {
  at: number
  id: string
  type: string
  /** Lower-cased track `event` or page `name`. */
  name: string | null
  url: string | null
  properties: Record<string, unknown>
}

export function toView(event: ScoringEvent): EventView {
  const at = eventTime(event)
  const name = event.type === 'track' ? event.event : event.name
  return {
    at,
    id: event.messageId ?? '',
    type: event.type,
    name: typeof name === 'string' ? name.toLowerCase() : null,
    url: pageUrl(event),
    properties: isRecord(event.properties) ? event.properties : {},
  }
}

export function eventTime(event: ScoringEvent): number {
  const at = typeof event?.timestamp === 'string' ? Date.parse(event.timestamp) : NaN
  if (Number.isNaN(at)) {
    throw new ScoringError('invalid_event', 'Event has no valid timestamp', [
      { path: 'timestamp', message: 'Expected an ISO-8601 date-time string' },
    ])
  }
  return at
}

// A page call describes its own URL in properties; any other event happened on the page in
// context. A track's properties.url is usually a target (a file, an outbound link), not a page.
function pageUrl(event: ScoringEvent): string | null {
  const page = event.context?.page
  const fromContext = page?.url ?? page?.path ?? null
  if (event.type !== 'page' && event.type !== 'screen') return str(fromContext)
  const props = isRecord(event.properties) ? event.properties : {}
  return str(props.url) ?? str(props.path) ?? str(fromContext)
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

/** The collector's replay order: timestamp, then messageId. */
export function compareEvents(a: ScoringEvent, b: ScoringEvent): number {
  return eventTime(a) - eventTime(b) || compareIds(a.messageId ?? '', b.messageId ?? '')
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
