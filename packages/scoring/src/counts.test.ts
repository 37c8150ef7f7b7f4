import { describe, expect, it } from 'vitest'
import type { CountCondition, EngagementConditions } from './condition-schema.js'
import { createScorer, type ScoringEvent } from './index.js'
import { DAY, HOUR, MINUTE, T0, page, ruleSet, track } from './test-events.js'

function scorerFor(conditions: EngagementConditions) {
  return createScorer(ruleSet([{ id: 'r', name: 'R', kind: 'engagement', points: 1, conditions }]))
}

/** Folds the events and returns the times at which the rule fired. */
function firings(conditions: EngagementConditions, events: ScoringEvent[]): number[] {
  const scorer = scorerFor(conditions)
  let state = null
  const times: number[] = []
  for (const event of events) {
    const result = scorer.applyEvent(state, event)
    state = result.state
    times.push(...result.awards.map((a) => Date.parse(a.at)))
  }
  return times
}

const pricingCount = (count: CountCondition): EngagementConditions => ({
  type: 'page',
  url: '*/pricing*',
  count,
})

describe('counts in a trailing window', () => {
  it('atLeast: fires from the Nth matching event inside the window', () => {
    const events = [
      page('/pricing', T0),
      page('/blog', T0 + DAY),
      page('/pricing', T0 + 2 * DAY),
      page('/pricing', T0 + 6 * DAY),
      page('/pricing', T0 + 6 * DAY + 1),
    ]
    expect(firings(pricingCount({ atLeast: 3, within: '7d' }), events)).toEqual([
      T0 + 6 * DAY,
      T0 + 6 * DAY + 1,
    ])
  })

  it('atLeast: events that left the window no longer count', () => {
    const events = [
      page('/pricing', T0),
      page('/pricing', T0 + 4 * DAY),
      page('/pricing', T0 + 8 * DAY),
    ]
    expect(firings(pricingCount({ atLeast: 3, within: '7d' }), events)).toEqual([])
    expect(firings(pricingCount({ atLeast: 3, within: '2w' }), events)).toEqual([T0 + 8 * DAY])
  })

  it('fewerThan: fires while the window holds fewer than N counted events', () => {
    const events = [
      page('/pricing', T0),
      page('/pricing', T0 + HOUR),
      page('/pricing', T0 + 2 * DAY),
    ]
    expect(firings(pricingCount({ fewerThan: 2, within: '24h' }), events)).toEqual([
      T0,
      T0 + 2 * DAY,
    ])
  })

  it('counts other events than those that trigger the rule with count.of', () => {
    const conditions: EngagementConditions = {
      event: 'Form Submitted',
      count: { atLeast: 2, within: '30m', of: { type: 'page' } },
    }
    const events = [
      page('/a', T0),
      track('Form Submitted', T0 + MINUTE),
      page('/b', T0 + 2 * MINUTE),
      track('Form Submitted', T0 + 3 * MINUTE),
    ]
    expect(firings(conditions, events)).toEqual([T0 + 3 * MINUTE])
  })

  it('keeps the window state bounded by the threshold', () => {
    const scorer = scorerFor(pricingCount({ atLeast: 3, within: '7d' }))
    const events = Array.from({ length: 50 }, (_, i) => page('/pricing', T0 + i * MINUTE))
    expect(scorer.replay(events).windows.r).toHaveLength(3)
  })
})

describe('counts in a session', () => {
  const deep = { type: 'page' as const, count: { atLeast: 3, within: 'session' } }

  it('atLeast: fires once the session has N counted events', () => {
    const events = [
      page('/a', T0),
      page('/b', T0 + 10 * MINUTE),
      page('/c', T0 + 20 * MINUTE),
      page('/d', T0 + 25 * MINUTE),
    ]
    expect(firings(deep, events)).toEqual([T0 + 20 * MINUTE, T0 + 25 * MINUTE])
  })

  it('atLeast: 30 minutes of inactivity starts a new session; any event is activity', () => {
    const gap = [page('/a', T0), page('/b', T0 + 10 * MINUTE), page('/c', T0 + 41 * MINUTE)]
    expect(firings(deep, gap)).toEqual([])
    const keptAlive = [
      page('/a', T0),
      page('/b', T0 + 10 * MINUTE),
      track('Page Engaged', T0 + 30 * MINUTE),
      page('/c', T0 + 41 * MINUTE),
    ]
    expect(firings(deep, keptAlive)).toEqual([T0 + 41 * MINUTE])
    const custom = {
      type: 'page' as const,
      count: { atLeast: 3, within: 'session', sessionGapMinutes: 60 },
    }
    expect(firings(custom, gap)).toEqual([T0 + 41 * MINUTE])
  })

  const bounce = { type: 'page' as const, count: { fewerThan: 2, within: 'session' } }

  it('fewerThan: judged when the next event shows the session ended, dated at its last event', () => {
    const events = [
      page('/a', T0),
      track('Page Engaged', T0 + 5 * MINUTE),
      page('/b', T0 + 2 * HOUR),
      page('/c', T0 + 2 * HOUR + MINUTE),
      page('/d', T0 + 5 * HOUR),
    ]
    expect(firings(bounce, events)).toEqual([T0 + 5 * MINUTE])
  })

  it('fewerThan: an idle open session is judged at scoring time, as the next event would', () => {
    const scorer = scorerFor(bounce)
    const state = scorer.replay([page('/a', T0)])
    expect(scorer.score(state, {}, T0 + 29 * MINUTE).engagement).toBe(0)
    expect(scorer.score(state, {}, T0 + 30 * MINUTE).engagement).toBe(1)
    const later = scorer.applyEvent(state, page('/b', T0 + DAY))
    expect(later.awards.map((a) => a.at)).toEqual([new Date(T0).toISOString()])
    expect(scorer.score(later.state, {}, T0 + DAY).engagement).toBe(1)
  })

  it('fewerThan: sessions with no counted event are not judged', () => {
    const scorer = scorerFor(bounce)
    const state = scorer.replay([track('Deal Won', T0)])
    expect(scorer.score(state, {}, T0 + DAY).breakdown).toEqual([])
  })
})
