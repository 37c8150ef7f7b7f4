import type { EnrichedEvent } from '../ports.js'

/**
 * A track call as the ingest route hands it to a store (validated and enriched), for tests that
 * drive a store's `ingest` directly. `properties` land in the payload only when given.
 *
 * @example
 * await store.ingest(ws, [trackEvent('m1', 'visitor-1', '2026-01-01T00:00:00.000Z')])
 */
export function trackEvent(
  messageId: string,
  anonymousId: string,
  timestamp: string,
  event = 'Seen',
  properties?: Record<string, unknown>,
): EnrichedEvent {
  return {
    messageId,
    type: 'track',
    timestamp,
    originalTimestamp: timestamp,
    sentAt: null,
    receivedAt: timestamp,
    userId: null,
    anonymousId,
    event,
    name: null,
    payload: {
      type: 'track',
      event,
      messageId,
      anonymousId,
      timestamp,
      ...(properties ? { properties } : {}),
    },
  } as EnrichedEvent
}
