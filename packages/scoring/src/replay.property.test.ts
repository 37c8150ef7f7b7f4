import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES } from './default-rules.js'
import { compareEvents, createScorer, type ScoreState, type ScoringEvent } from './index.js'
import { DAY, MINUTE, T0 } from './test-events.js'

const scorer = createScorer(DEFAULT_RULES)

// Events drawn from what the default rules look at, over three weeks, with many timestamp ties
// (minute resolution) so that the messageId tie-break is exercised too.
const eventArb: fc.Arbitrary<Omit<ScoringEvent, 'messageId'>> = fc
  .record({
    minute: fc.integer({ min: 0, max: (21 * DAY) / MINUTE }),
    kind: fc.constantFrom(
      'pricing',
      'demo',
      'features',
      'blog',
      'careers',
      'engaged',
      'webinar',
      'download',
      'chat',
    ),
    activeMs: fc.integer({ min: 0, max: 120_000 }),
  })
  .map(({ minute, kind, activeMs }) => {
    const timestamp = new Date(T0 + minute * MINUTE).toISOString()
    const url = `https://acme.io/${kind}`
    switch (kind) {
      case 'engaged':
        return { type: 'track', event: 'Page Engaged', properties: { activeMs }, timestamp }
      case 'webinar':
        return {
          type: 'track',
          event: 'Form Submitted',
          context: { page: { url: 'https://acme.io/webinar/q3' } },
          timestamp,
        }
      case 'download':
        return {
          type: 'track',
          event: 'File Downloaded',
          properties: { fileName: 'ebook.pdf' },
          timestamp,
        }
      case 'chat':
        return { type: 'track', event: 'Chat Started', timestamp }
      default:
        return { type: 'page', properties: { url }, timestamp }
    }
  })

const eventsArb = fc
  .array(eventArb, { minLength: 1, maxLength: 60 })
  .map((events) => events.map((e, i) => ({ ...e, messageId: `m${String(i).padStart(3, '0')}` })))

const traits = { title: 'VP Engineering', industry: 'SaaS', teamSize: '120' }

function fold(events: ScoringEvent[]): ScoreState | null {
  let state: ScoreState | null = null
  for (const event of events) state = scorer.applyEvent(state, event).state
  return state
}

describe('replay (property)', () => {
  it('scores any arrival order of the same events the same, once sorted as the collector does', () => {
    fc.assert(
      fc.property(eventsArb, fc.nat(), (events, seed) => {
        const shuffled = fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
          seed,
          numRuns: 1,
        })[0]!
        const now = T0 + 22 * DAY
        const a = scorer.score(scorer.replay(events), traits, now)
        const b = scorer.score(scorer.replay(shuffled), traits, now)
        expect(b).toEqual(a)
      }),
      { numRuns: 200 },
    )
  })

  it('folding applyEvent over the sorted events gives exactly the replayed state', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const sorted = [...events].sort(compareEvents)
        const folded = fold(sorted)
        expect(folded).toEqual(scorer.replay(events))
        const now = T0 + 30 * DAY
        expect(scorer.score(folded, traits, now)).toEqual(
          scorer.score(scorer.replay(events), traits, now),
        )
      }),
      { numRuns: 200 },
    )
  })

  it('splitting the history at any point and resuming from the stored JSON state changes nothing', () => {
    fc.assert(
      fc.property(eventsArb, fc.nat(), (events, cut) => {
        const sorted = [...events].sort(compareEvents)
        const k = cut % (sorted.length + 1)
        const stored = JSON.parse(JSON.stringify(fold(sorted.slice(0, k)))) as ScoreState | null
        let state = stored
        for (const event of sorted.slice(k)) state = scorer.applyEvent(state, event).state
        expect(state ?? null).toEqual(fold(sorted))
      }),
      { numRuns: 200 },
    )
  })

  it('decay never changes the sign of the points a rule gives', () => {
    fc.assert(
      fc.property(eventsArb, fc.integer({ min: 0, max: 365 }), (events, days) => {
        const { breakdown } = scorer.score(scorer.replay(events), traits, T0 + days * DAY)
        for (const line of breakdown) {
          if (line.kind === 'engagement')
            expect(Math.sign(line.points) * Math.sign(line.awarded ?? 0)).not.toBe(-1)
        }
      }),
      { numRuns: 100 },
    )
  })
})
