import { describe, expect, it } from 'vitest'
import type { EngagementConditions, FitConditions } from './condition-schema.js'
import type { ScoringEvent } from './event.js'
import { createScorer } from './index.js'
import { T0, page, ruleSet, track } from './test-events.js'

/** Does an engagement rule with these conditions fire for this one event? */
function fires(conditions: EngagementConditions, event: ScoringEvent): boolean {
  const scorer = createScorer(
    ruleSet([{ id: 'r', name: 'R', kind: 'engagement', points: 1, conditions }]),
  )
  return scorer.applyEvent(null, event).awards.length === 1
}

/** Does a fit rule with these conditions match these traits? */
function fits(conditions: FitConditions, traits: Record<string, unknown>): boolean {
  const scorer = createScorer(ruleSet([{ id: 'r', name: 'R', kind: 'fit', points: 1, conditions }]))
  return scorer.score(null, traits, T0).fit === 1
}

describe('event conditions', () => {
  it('matches the event type, one or a list', () => {
    expect(fires({ type: 'page' }, page('/a', T0))).toBe(true)
    expect(fires({ type: 'track' }, page('/a', T0))).toBe(false)
    expect(fires({ type: ['identify', 'page'] }, page('/a', T0))).toBe(true)
  })

  it('matches the track event or the page name, case-insensitively', () => {
    expect(fires({ event: 'webinar registered' }, track('Webinar Registered', T0))).toBe(true)
    expect(fires({ event: ['Demo Requested', 'x'] }, track('Webinar Registered', T0))).toBe(false)
    expect(fires({ event: 'Pricing' }, page('/p', T0, { name: 'Pricing' }))).toBe(true)
  })

  it('matches page URLs with globs and regexes, on the page itself or the page in context', () => {
    const pricing = page('https://acme.io/pricing?plan=pro', T0)
    expect(fires({ url: '*/pricing*' }, pricing)).toBe(true)
    expect(fires({ url: { glob: '*/PRICING*' } }, pricing)).toBe(true)
    expect(fires({ url: '*/pricing' }, pricing)).toBe(false)
    expect(fires({ url: 'https://acme.io/pric?ng*' }, pricing)).toBe(true)
    expect(fires({ url: { regex: '/pricing\\b' } }, pricing)).toBe(true)
    expect(fires({ url: { regex: '^/demo' } }, pricing)).toBe(false)
    const form = track('Form Submitted', T0, { url: '/files/x.pdf' }, 'https://acme.io/webinars/q3')
    expect(fires({ url: '*/webinar*' }, form)).toBe(true)
    // A track's own properties.url is a target (file, link), never taken for the page.
    expect(fires({ url: '*.pdf' }, form)).toBe(false)
    expect(fires({ url: '*' }, track('Chat Started', T0))).toBe(false)
  })

  it('falls back to the path when a page has no URL', () => {
    const event: ScoringEvent = {
      type: 'page',
      timestamp: new Date(T0).toISOString(),
      context: { page: { path: '/pricing' } },
    }
    expect(fires({ url: '*/pricing*' }, event)).toBe(true)
  })

  it('tests properties: equals, in, ranges, exists, contains, containsWord, matches', () => {
    const engaged = track('Page Engaged', T0, {
      activeMs: 65_000,
      maxScrollPercent: '80',
      tag: 'Pricing-Page',
    })
    expect(fires({ properties: { activeMs: { gte: 60_000 } } }, engaged)).toBe(true)
    expect(fires({ properties: { activeMs: { lt: 10_000 } } }, engaged)).toBe(false)
    expect(fires({ properties: { activeMs: { gt: 65_000 } } }, engaged)).toBe(false)
    expect(fires({ properties: { activeMs: { gte: 60_000, lte: 65_000 } } }, engaged)).toBe(true)
    expect(fires({ properties: { maxScrollPercent: { gte: 75 } } }, engaged)).toBe(true)
    expect(fires({ properties: { tag: 'pricing-page' } }, engaged)).toBe(true)
    expect(fires({ properties: { tag: { equals: 'pricing' } } }, engaged)).toBe(false)
    expect(fires({ properties: { tag: ['a', 'PRICING-PAGE'] } }, engaged)).toBe(true)
    expect(fires({ properties: { tag: { in: ['a', 'b'] } } }, engaged)).toBe(false)
    expect(fires({ properties: { tag: { contains: 'ing-pa' } } }, engaged)).toBe(true)
    expect(fires({ properties: { tag: { containsWord: 'page' } } }, engaged)).toBe(true)
    expect(fires({ properties: { tag: { containsWord: 'age' } } }, engaged)).toBe(false)
    expect(fires({ properties: { tag: { matches: '^pricing-' } } }, engaged)).toBe(true)
    expect(fires({ properties: { activeMs: { exists: true } } }, engaged)).toBe(true)
    expect(fires({ properties: { missing: { exists: false } } }, engaged)).toBe(true)
    expect(fires({ properties: { missing: { exists: true } } }, engaged)).toBe(false)
    expect(fires({ properties: { missing: { lt: 5 } } }, engaged)).toBe(false)
  })

  it('reads nested properties by dotted path', () => {
    const form = track('Form Submitted', T0, { form: { name: 'Webinar signup' } })
    expect(fires({ properties: { 'form.name': { contains: 'webinar' } } }, form)).toBe(true)
  })

  it('needs every key to hold, and one anyOf branch', () => {
    const download = track('File Downloaded', T0, { fileName: 'AI-Ebook.pdf' })
    const conditions: EngagementConditions = {
      event: 'File Downloaded',
      anyOf: [
        { properties: { fileName: { contains: 'ebook' } } },
        { properties: { fileName: { contains: 'whitepaper' } } },
      ],
    }
    expect(fires(conditions, download)).toBe(true)
    expect(fires(conditions, track('File Downloaded', T0, { fileName: 'price-list.pdf' }))).toBe(
      false,
    )
    expect(fires({ ...conditions, type: 'page' }, download)).toBe(false)
  })
})

describe('trait conditions', () => {
  it('compares strings case-insensitively: equals, in, contains, containsWord', () => {
    expect(fits({ traits: { industry: 'saas' } }, { industry: 'SaaS' })).toBe(true)
    expect(
      fits({ traits: { industry: { in: ['Software', 'SaaS'] } } }, { industry: 'software' }),
    ).toBe(true)
    expect(
      fits({ traits: { title: { contains: ['vp', 'director'] } } }, { title: 'VP of Sales' }),
    ).toBe(true)
    expect(fits({ traits: { title: { containsWord: 'CTO' } } }, { title: 'Director' })).toBe(false)
    expect(
      fits(
        { traits: { title: { containsWord: ['CTO', 'Head of'] } } },
        { title: 'Head of Growth' },
      ),
    ).toBe(true)
    expect(
      fits({ traits: { title: { containsWord: 'CTO' } } }, { title: 'CTO & co-founder' }),
    ).toBe(true)
  })

  it('reads numbers from form strings for ranges', () => {
    const range = { traits: { teamSize: { gte: 50, lte: 5000 } } }
    expect(fits(range, { teamSize: 120 })).toBe(true)
    expect(fits(range, { teamSize: '1,200' })).toBe(true)
    expect(fits(range, { teamSize: '10' })).toBe(false)
    expect(fits(range, { teamSize: 'about fifty' })).toBe(false)
    expect(fits({ traits: { budget: { gte: 10_000 } } }, { budget: '$25k' })).toBe(true)
    expect(fits({ traits: { annualRevenue: { gt: 1e6 } } }, { annualRevenue: '2.5M' })).toBe(true)
    expect(fits({ traits: { teamSize: 120 } }, { teamSize: '120' })).toBe(true)
  })

  it('treats missing, null and blank traits as absent', () => {
    expect(fits({ traits: { title: { exists: true } } }, { title: '' })).toBe(false)
    expect(fits({ traits: { title: { exists: false } } }, { title: null })).toBe(true)
    expect(fits({ traits: { title: { exists: true } } }, { title: 'CEO' })).toBe(true)
    expect(fits({ traits: { title: { contains: 'ceo' } } }, {})).toBe(false)
  })

  it('tests list traits element by element, booleans and nested traits', () => {
    expect(
      fits({ traits: { tags: { contains: 'enterprise' } } }, { tags: ['smb', 'Enterprise'] }),
    ).toBe(true)
    expect(fits({ traits: { customer: true } }, { customer: 'true' })).toBe(true)
    expect(fits({ traits: { customer: true } }, { customer: false })).toBe(false)
    expect(fits({ traits: { 'address.country': 'us' } }, { address: { country: 'US' } })).toBe(true)
  })

  it('combines traits (all) and anyOf (one branch)', () => {
    const size: FitConditions = {
      anyOf: [{ traits: { teamSize: { gte: 50 } } }, { traits: { employees: { gte: 50 } } }],
    }
    expect(fits(size, { employees: 80 })).toBe(true)
    expect(fits(size, { teamSize: 10, employees: 10 })).toBe(false)
    expect(
      fits(
        { traits: { industry: 'saas', teamSize: { gte: 50 } } },
        { industry: 'saas', teamSize: 5 },
      ),
    ).toBe(false)
  })
})
