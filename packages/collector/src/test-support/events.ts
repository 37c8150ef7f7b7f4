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

/**
 * A rule set whose one rule ("Asked for a demo", 45 points on a `/demo` page) makes a contact
 * hot with one page view: the grade alerts' tests start from it.
 */
export const DEMO_RULES = {
  halfLifeDays: 30,
  grades: [{ name: 'cold' }, { name: 'warm', min: 20 }, { name: 'hot', min: 40 }],
  rules: [
    {
      id: 'demo',
      name: 'Asked for a demo',
      kind: 'engagement',
      points: 45,
      conditions: { type: 'page', url: '*/demo*' },
    },
  ],
}
