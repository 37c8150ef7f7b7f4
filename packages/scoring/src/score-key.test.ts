import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { DEFAULT_RULES, createScorer } from './index.js'
import { engagementKey, nextCrossing, scoreFromKey } from './score-key.js'
import { DAY, T0, page } from './test-events.js'

const H = 30 * DAY
const grades = DEFAULT_RULES.grades

describe('engagement key', () => {
  it('gives the score the engine gives at any later time', () => {
    const scorer = createScorer(DEFAULT_RULES)
    const state = scorer.replay([
      page('https://a.io/pricing', T0),
      page('https://a.io/demo', T0 + DAY),
    ])
    const at = T0 + 2 * DAY
    const s = scorer.score(state, { title: 'CEO' }, at)
    const key = engagementKey(s.engagementRaw, at, H)
    for (const later of [at, at + DAY, at + 45 * DAY, at + 400 * DAY]) {
      const engine = scorer.score(state, { title: 'CEO' }, later)
      const fromKey = scoreFromKey(s.fit, key, later, H, grades)
      expect(fromKey).toEqual({
        fit: engine.fit,
        engagement: engine.engagement,
        total: engine.total,
        grade: engine.grade,
      })
    }
  })

  it('orders contacts of equal fit like their decayed engagement, at every moment', () => {
    const contact = fc.record({
      e: fc.double({ min: -200, max: 200, noNaN: true }),
      at: fc.integer({ min: 0, max: 400 }),
    })
    fc.assert(
      fc.property(contact, contact, fc.integer({ min: 400, max: 2000 }), (a, b, t) => {
        const ka = engagementKey(a.e, T0 + a.at * DAY, H)
        const kb = engagementKey(b.e, T0 + b.at * DAY, H)
        const va = a.e * 2 ** (-(t - a.at) / 30)
        const vb = b.e * 2 ** (-(t - b.at) / 30)
        if (Math.abs(va - vb) > 1e-9 * Math.max(1, Math.abs(va))) expect(ka > kb).toBe(va > vb)
      }),
    )
  })

  it('finds when decay alone takes a total across a grade', () => {
    const key = engagementKey(40, T0, H)
    // fit 20 + engagement 40 = 60 (hot); falls under 50 when engagement < 29.995
    const at = nextCrossing(20, key, T0, H, [20, 50])!
    expect(scoreFromKey(20, key, at - 60_000, H, grades).grade).toBe('hot')
    expect(scoreFromKey(20, key, at + 60_000, H, grades).grade).toBe('warm')
    // negative engagement rises towards fit
    const neg = engagementKey(-20, T0, H)
    const up = nextCrossing(30, neg, T0, H, [20, 50])!
    expect(scoreFromKey(30, neg, up - 60_000, H, grades).grade).toBe('cold')
    expect(scoreFromKey(30, neg, up + 60_000, H, grades).grade).toBe('warm')
    expect(nextCrossing(60, key, T0, H, [20, 50])).toBeNull()
    expect(nextCrossing(20, key, T0, null, [20, 50])).toBeNull()
  })
})
