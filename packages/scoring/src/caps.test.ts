import { describe, expect, it } from 'vitest'
import { createScorer, type Caps, type ScoringEvent } from './index.js'
import { DAY, HOUR, T0, page, ruleSet } from './test-events.js'

function pricingScorer(caps: Caps, points = 10) {
  return createScorer(
    ruleSet([
      {
        id: 'pricing',
        name: 'Pricing',
        kind: 'engagement',
        points,
        conditions: { url: '*/pricing*' },
        caps,
      },
    ]),
  )
}

function awardsFor(caps: Caps, times: number[], points?: number): number[] {
  const scorer = pricingScorer(caps, points)
  let state = null
  const awarded: number[] = []
  for (const time of times) {
    const result = scorer.applyEvent(state, page('/pricing', time))
    state = result.state
    for (const award of result.awards) awarded.push(Date.parse(award.at))
  }
  return awarded
}

describe('caps', () => {
  it('without caps, every matching event scores', () => {
    const scorer = createScorer(
      ruleSet([
        { id: 'p', name: 'P', kind: 'engagement', points: 2, conditions: { type: 'page' } },
      ]),
    )
    const state = scorer.replay([page('/a', T0), page('/a', T0 + 1), page('/b', T0 + 2)])
    expect(scorer.score(state, {}, T0).engagement).toBe(6)
  })

  it('once: only the first matching event ever scores', () => {
    expect(awardsFor({ once: true }, [T0, T0 + HOUR, T0 + 40 * DAY])).toEqual([T0])
  })

  it('perDay: at most N per UTC day, counting from midnight UTC', () => {
    const lateEvening = T0 + 14 * HOUR + 30 * 60_000 // 23:30 UTC on the Monday
    const times = [T0, T0 + HOUR, T0 + 2 * HOUR, lateEvening, lateEvening + HOUR]
    expect(awardsFor({ perDay: 2 }, times)).toEqual([T0, T0 + HOUR, lateEvening + HOUR])
  })

  it('perWeek: at most N per ISO week (Monday to Sunday, UTC)', () => {
    const sunday = T0 + 6 * DAY
    const nextMonday = T0 + 7 * DAY
    const times = [T0, T0 + DAY, sunday, nextMonday, nextMonday + DAY]
    expect(awardsFor({ perWeek: 1 }, times)).toEqual([T0, nextMonday])
  })

  it('perDay and perWeek together: both must allow the award', () => {
    const times = [T0, T0 + HOUR, T0 + DAY, T0 + DAY + HOUR, T0 + 2 * DAY]
    expect(awardsFor({ perDay: 1, perWeek: 2 }, times)).toEqual([T0, T0 + DAY])
  })

  it('caps negative points the same way', () => {
    const scorer = pricingScorer({ perDay: 1 }, -4)
    const state = scorer.replay([page('/pricing', T0), page('/pricing', T0 + HOUR)])
    expect(scorer.score(state, {}, T0 + HOUR).engagement).toBe(-4)
  })

  it('depends on event timestamps, not on arrival order', () => {
    const scorer = pricingScorer({ perDay: 1 })
    const events: ScoringEvent[] = [
      page('/pricing', T0 + DAY),
      page('/pricing', T0),
      page('/pricing', T0 + HOUR),
    ]
    const shuffled = scorer.replay(events)
    const sorted = scorer.replay([...events].sort((a, b) => a.timestamp.localeCompare(b.timestamp)))
    expect(shuffled).toEqual(sorted)
    expect(scorer.score(shuffled, {}, T0 + DAY).breakdown[0]).toMatchObject({ count: 2 })
  })
})
