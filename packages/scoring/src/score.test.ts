import { describe, expect, it } from 'vitest'
import { ScoringError, createScorer } from './index.js'
import { DAY, T0, at, page, ruleSet, track } from './test-events.js'

const pricing = {
  id: 'pricing',
  name: 'Viewed pricing',
  kind: 'engagement',
  points: 10,
  conditions: { url: '*/pricing*' },
} as const
const shortVisit = {
  id: 'short-visit',
  name: 'Very short visit',
  kind: 'engagement',
  points: -3,
  conditions: { event: 'Page Engaged', properties: { activeMs: { lt: 10_000 } } },
} as const
const ceo = {
  id: 'ceo',
  name: 'CEO',
  kind: 'fit',
  points: 20,
  conditions: { traits: { title: { containsWord: 'CEO' } } },
} as const
const student = {
  id: 'student',
  name: 'Student',
  kind: 'fit',
  points: -15,
  conditions: { traits: { title: { containsWord: 'student' } } },
} as const

describe('decay', () => {
  const scorer = createScorer(ruleSet([pricing], 30))
  const state = scorer.replay([page('/pricing', T0)])

  it('halves engagement points every half-life', () => {
    expect(scorer.score(state, {}, T0).engagement).toBe(10)
    expect(scorer.score(state, {}, T0 + 30 * DAY).engagement).toBe(5)
    expect(scorer.score(state, {}, T0 + 60 * DAY).engagement).toBe(2.5)
    expect(scorer.score(state, {}, T0 + 15 * DAY).engagement).toBe(7.07)
  })

  it('decays each award from its own time', () => {
    const two = scorer.replay([page('/pricing', T0), page('/pricing', T0 + 30 * DAY)])
    expect(scorer.score(two, {}, T0 + 30 * DAY).engagement).toBe(15)
    expect(scorer.score(two, {}, T0 + 60 * DAY).engagement).toBe(7.5)
  })

  it('never decays fit points, and does not grow awards dated after now', () => {
    const withFit = createScorer(ruleSet([pricing, ceo], 30))
    const s = withFit.replay([page('/pricing', T0)])
    expect(withFit.score(s, { title: 'CEO' }, T0 + 60 * DAY)).toMatchObject({
      fit: 20,
      engagement: 2.5,
      total: 22.5,
    })
    expect(withFit.score(s, {}, T0 - DAY).engagement).toBe(10)
  })

  it('does not decay when halfLifeDays is null', () => {
    const flat = createScorer(ruleSet([pricing], null))
    expect(flat.score(flat.replay([page('/pricing', T0)]), {}, T0 + 999 * DAY).engagement).toBe(10)
  })

  it('accepts now as a Date, an ISO string or epoch ms, and rejects garbage', () => {
    const iso = at(T0 + 30 * DAY)
    expect(scorer.score(state, {}, new Date(iso)).engagement).toBe(5)
    expect(scorer.score(state, {}, iso).engagement).toBe(5)
    expect(() => scorer.score(state, {}, 'yesterday')).toThrow(ScoringError)
  })
})

describe('score', () => {
  const scorer = createScorer(ruleSet([pricing, shortVisit, ceo, student], 30))

  it('adds negative points and sums fit and engagement into total', () => {
    const state = scorer.replay([
      page('/pricing', T0),
      track('Page Engaged', T0 + 1, { activeMs: 3_000 }),
    ])
    expect(scorer.score(state, { title: 'Student' }, T0)).toMatchObject({
      fit: -15,
      engagement: 7,
      total: -8,
      grade: 'cold',
    })
  })

  it('explains itself: one breakdown line per contributing rule', () => {
    const state = scorer.replay([page('/pricing', T0), page('/pricing', T0 + DAY)])
    const { breakdown } = scorer.score(state, { title: 'CEO' }, T0 + DAY)
    expect(breakdown).toEqual([
      {
        rule: 'pricing',
        name: 'Viewed pricing',
        kind: 'engagement',
        points: 19.77,
        count: 2,
        lastAt: at(T0 + DAY),
        awarded: 20,
      },
      { rule: 'ceo', name: 'CEO', kind: 'fit', points: 20, count: 1, lastAt: null },
    ])
  })

  it('grades by thresholds: below the second grade is the first', () => {
    const grades = createScorer(ruleSet([ceo, { ...pricing, points: 30 }], null))
    const once = grades.replay([page('/pricing', T0)])
    const twice = grades.replay([page('/pricing', T0), page('/pricing', T0 + 1)])
    expect(grades.score(null, {}, T0).grade).toBe('cold')
    expect(grades.score(null, { title: 'CEO' }, T0).grade).toBe('warm')
    expect(grades.score(once, { title: 'CEO' }, T0)).toMatchObject({ total: 50, grade: 'hot' })
    expect(grades.score(twice, {}, T0)).toMatchObject({ total: 60, grade: 'hot' })
    expect(grades.grades).toEqual(['cold', 'warm', 'hot'])
  })

  it('scores an empty contact as zero', () => {
    expect(scorer.score(null, null, T0)).toEqual({
      fit: 0,
      engagement: 0,
      total: 0,
      grade: 'cold',
      breakdown: [],
      engagementRaw: 0,
    })
  })

  it('leaves disabled rules out', () => {
    const off = createScorer(
      ruleSet([
        { ...pricing, enabled: false },
        { ...ceo, enabled: false },
      ]),
    )
    const state = off.replay([page('/pricing', T0)])
    expect(off.score(state, { title: 'CEO' }, T0).total).toBe(0)
  })
})
