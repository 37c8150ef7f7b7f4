import { describe, expect, it } from 'vitest'
import { ScoringError, createScorer, emptyScoreState, type ScoreState } from './index.js'
import { HOUR, T0, page, ruleSet } from './test-events.js'

const scorer = createScorer(
  ruleSet([
    { id: 'p', name: 'Pricing', kind: 'engagement', points: 5, conditions: { url: '*/pricing*' } },
  ]),
)

describe('applyEvent', () => {
  it('returns a new state and leaves the given one untouched', () => {
    const first = scorer.applyEvent(null, page('/pricing', T0)).state
    const snapshot = JSON.parse(JSON.stringify(first))
    const second = scorer.applyEvent(first, page('/pricing', T0 + HOUR))
    expect(first).toEqual(snapshot)
    expect(second.state).not.toBe(first)
    expect(second.awards).toEqual([
      { rule: 'p', name: 'Pricing', points: 5, at: new Date(T0 + HOUR).toISOString() },
    ])
  })

  it('produces JSON-serialisable state that scores the same after a round trip', () => {
    const state = scorer.replay([page('/pricing', T0), page('/pricing', T0 + HOUR)])
    const stored = JSON.parse(JSON.stringify(state)) as ScoreState
    expect(scorer.score(stored, {}, T0 + 9 * HOUR)).toEqual(scorer.score(state, {}, T0 + 9 * HOUR))
  })

  it('ignores a repeat of the latest event (same timestamp and messageId)', () => {
    const event = page('/pricing', T0)
    const { state } = scorer.applyEvent(emptyScoreState(), event)
    const again = scorer.applyEvent(state, event)
    expect(again).toMatchObject({ duplicate: true, awards: [] })
    expect(again.state).toBe(state)
  })

  it('flags events older than the latest applied, and still scores them', () => {
    const { state } = scorer.applyEvent(null, page('/pricing', T0 + HOUR))
    const late = scorer.applyEvent(state, page('/pricing', T0))
    expect(late.late).toBe(true)
    expect(late.awards).toHaveLength(1)
    expect(late.state.last).toEqual(state.last)
  })

  it('rejects events without a valid timestamp and states it did not make', () => {
    const bad = { type: 'page', timestamp: 'soon' }
    expect(() => scorer.applyEvent(null, bad)).toThrow(
      expect.objectContaining({ code: 'invalid_event' }),
    )
    const notState = { version: 2 } as unknown as ScoreState
    expect(() => scorer.applyEvent(notState, page('/a', T0))).toThrow(ScoringError)
    expect(() => scorer.score(notState, {}, T0)).toThrow(
      expect.objectContaining({ code: 'invalid_state' }),
    )
  })
})
