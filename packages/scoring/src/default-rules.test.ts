import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES, createScorer, type ScoringEvent } from './index.js'
import { DAY, MINUTE, T0, page, track } from './test-events.js'

const scorer = createScorer(DEFAULT_RULES)

function rulesFired(events: ScoringEvent[]): string[] {
  let state = null
  const fired: string[] = []
  for (const event of events) {
    const result = scorer.applyEvent(state, event)
    state = result.state
    fired.push(...result.awards.map((a) => a.rule))
  }
  return fired
}

describe('default rules', () => {
  it('has marketer-readable names, cold/warm/hot grades and a 30-day half-life', () => {
    expect(scorer.grades).toEqual(['cold', 'warm', 'hot'])
    expect(DEFAULT_RULES.halfLifeDays).toBe(30)
    for (const rule of DEFAULT_RULES.rules) expect(rule.name).toMatch(/^[A-Z]/)
  })

  it('scores a buying visit: pricing, webinar form, long read, then a decision-maker identify', () => {
    const events = [
      page('https://acme.io/pricing', T0),
      track('Form Submitted', T0 + MINUTE, { form: 'register' }, 'https://acme.io/webinars/ai'),
      track(
        'Page Engaged',
        T0 + 3 * MINUTE,
        { activeMs: 90_000, maxScrollPercent: 80 },
        'https://acme.io/webinars/ai',
      ),
    ]
    expect(rulesFired(events)).toEqual(['pricing-page', 'webinar-registration', 'long-active-time'])
    const state = scorer.replay(events)
    const before = scorer.score(state, {}, T0 + 3 * MINUTE)
    expect(before).toMatchObject({ fit: 0, grade: 'warm' })
    expect(before.engagement).toBeCloseTo(30, 1)
    const traits = {
      title: 'VP of Engineering',
      industry: 'Computer Software',
      teamSize: '250',
      budget: '50k',
    }
    const after = scorer.score(state, traits, T0 + 3 * MINUTE)
    expect(after.fit).toBe(20 + 10 + 15 + 10)
    expect(after.grade).toBe('hot')
  })

  it('takes points away for poor fit: student, education, tiny budget', () => {
    const result = scorer.score(
      null,
      { title: 'PhD Student', industry: 'Higher Education', budget: 500 },
      T0,
    )
    expect(result.breakdown.map((b) => b.rule)).toEqual([
      'non-decision-maker',
      'poor-fit-industry',
      'budget-too-small',
    ])
    expect(result.fit).toBe(-40)
  })

  it('rewards downloads of whitepapers and ebooks only', () => {
    expect(
      rulesFired([track('File Downloaded', T0, { fileName: 'State-of-AI-Whitepaper.pdf' })]),
    ).toEqual(['content-download'])
    expect(rulesFired([track('File Downloaded', T0, { fileName: 'invoice.pdf' })])).toEqual([])
  })

  it('caps pricing views at one a day and rewards three visits in a week', () => {
    const events = [0, 1, 2].map((d) => page('https://acme.io/pricing', T0 + d * DAY))
    const fired = rulesFired([...events, page('https://acme.io/pricing', T0 + 2 * DAY + MINUTE)])
    expect(fired.filter((rule) => rule.startsWith('pricing'))).toEqual([
      'pricing-page',
      'pricing-page',
      'pricing-page',
      'pricing-page-repeat',
    ])
  })

  it('rewards a deep visit and penalises short, single-page ones', () => {
    const deep = [0, 1, 2, 3, 4].map((i) => page(`https://acme.io/blog/${i}`, T0 + i * MINUTE))
    expect(rulesFired(deep)).toEqual(['deep-visit'])
    const bounce = [
      page('https://acme.io/blog/1', T0),
      track('Page Engaged', T0 + 5_000, { activeMs: 4_000 }),
    ]
    expect(rulesFired(bounce)).toEqual(['very-short-visit'])
    const result = scorer.score(scorer.replay(bounce), {}, T0 + DAY)
    expect(result.breakdown.map((b) => b.rule).sort()).toEqual([
      'single-page-visit',
      'very-short-visit',
    ])
    expect(result.engagement).toBeLessThan(0)
  })

  it('docks job seekers once', () => {
    const fired = rulesFired([
      page('https://acme.io/careers', T0),
      page('https://acme.io/careers/eng', T0 + DAY),
    ])
    // The second page also closes the first visit: one page, no interaction.
    expect(fired).toEqual(['careers-page', 'single-page-visit'])
  })
})
