import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { enricher } from './enrich.js'
import { validateBatch } from './validate.js'
import { legacyEnrich } from '../test-support/legacy-enrich.js'
import {
  hostileDate,
  hostileObject,
  hostileString,
  hostileUrl,
  safeString,
} from '../test-support/hostile.js'

// The per-request enricher (memoised URL parsing, shared received time and envelope) against the
// per-event enrichment it replaced (test-support/legacy-enrich.ts): the same events, key for key.

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined })
const ua = fc.constantFrom(
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'curl/8.0',
)
const timestamp = fc.oneof(
  fc
    .date({ min: new Date('1890-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  hostileDate,
)
const context = fc.record(
  {
    ip: fc.oneof(
      fc.constantFrom('203.0.113.77', '2001:db8:85a3:1::7', '::ffff:1.2.3.4'),
      safeString,
    ),
    userAgent: ua,
    page: fc.record(
      { url: hostileUrl, referrer: fc.oneof(hostileUrl, fc.constant('')), path: safeString },
      { requiredKeys: [] },
    ),
    campaign: fc.oneof(fc.record({ source: safeString }), fc.constant(null)),
    locale: fc.constantFrom('en-US', 'zh-CN'),
    extra: hostileObject,
  },
  { requiredKeys: [] },
)
const event = fc.record(
  {
    type: fc.constantFrom('track', 'page', 'screen', 'identify', 'group', 'alias'),
    event: fc.constantFrom('Signed Up', 'Page Engaged'),
    name: maybe(safeString),
    messageId: maybe(fc.oneof(fc.uuid(), fc.integer())),
    anonymousId: fc.oneof(fc.constantFrom('a1', 'a2'), fc.integer()),
    userId: maybe(fc.constantFrom('u1', 'u2')),
    groupId: fc.constantFrom('g1'),
    previousId: fc.constantFrom('p1'),
    timestamp: maybe(timestamp),
    originalTimestamp: maybe(timestamp),
    sentAt: maybe(timestamp),
    writeKey: maybe(fc.constant('wk_x')),
    context: maybe(context),
    properties: maybe(
      fc.record({ url: hostileUrl, title: hostileString, n: fc.integer() }, { requiredKeys: [] }),
    ),
    traits: maybe(hostileObject),
  },
  { requiredKeys: ['type', 'anonymousId', 'event', 'groupId', 'previousId'] },
)
const request = fc.record({
  batch: fc.array(event, { minLength: 1, maxLength: 6 }),
  sentAt: maybe(timestamp),
  context: maybe(context),
  facts: fc.record({
    ip: fc.constantFrom('198.51.100.4', null),
    userAgent: fc.oneof(ua, fc.constant(null)),
    receivedAt: fc.date({
      min: new Date('2020-01-01'),
      max: new Date('2030-01-01'),
      noInvalidDate: true,
    }),
    anonymizeIp: fc.boolean(),
    clean: fc.boolean(),
  }),
})

describe('enricher', () => {
  it('gives the events the per-event enrichment gave', () => {
    let compared = 0
    fc.assert(
      fc.property(request, ({ facts, ...body }) => {
        let validated
        try {
          validated = validateBatch(JSON.parse(JSON.stringify(body)))
        } catch {
          return // an envelope zod refuses: nothing to enrich
        }
        const one = enricher(validated.envelope, facts)
        for (const v of validated.valid) {
          const now = one(v)
          const then = legacyEnrich(v, validated.envelope, facts)
          // Events without a messageId get a random one: compare the rest.
          if (v.event.messageId === undefined) {
            expect(now.messageId).toMatch(/^[0-9a-f-]{36}$/)
            now.messageId = then.messageId
            now.payload.messageId = then.messageId
          }
          expect(JSON.stringify(now)).toBe(JSON.stringify(then))
          compared++
        }
      }),
      { numRuns: 1500 },
    )
    expect(compared).toBeGreaterThan(300)
  }, 60_000)
})
