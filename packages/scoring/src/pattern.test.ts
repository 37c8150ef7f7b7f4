import { describe, expect, it } from 'vitest'
import { ScoringError } from './errors.js'
import { createScorer, validateRules } from './index.js'
import { MAX_PATTERN_LENGTH, MAX_PROGRAM_SIZE, compilePattern, patternProblem } from './pattern.js'
import { T0, page, ruleSet, track } from './test-events.js'

// The pathological patterns of issue 14: under a backtracking engine each of these takes longer
// than a test run on the inputs below. RE2 answers them in one pass over the input.
const CATASTROPHIC: [string, string][] = [
  ['^(a+)+$', 'a'.repeat(5000) + '!'],
  ['(x+x+)+y', 'x'.repeat(5000)],
  ['^(.*a){20}$', 'a'.repeat(2000) + 'b'],
  ['^(\\w+\\s?)*$', 'word '.repeat(1000) + '!'],
]

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    validateRules(input)
  } catch (err) {
    expect(err).toBeInstanceOf(ScoringError)
    return (err as ScoringError).issues
  }
  throw new Error('expected validation to fail')
}

function fitDoc(predicate: unknown) {
  return {
    halfLifeDays: null,
    grades: [{ name: 'cold' }],
    rules: [
      { id: 'r', name: 'R', kind: 'fit', points: 1, conditions: { traits: { title: predicate } } },
    ],
  }
}

describe('patterns (RE2)', () => {
  it.each(CATASTROPHIC)('answers %s on a long input in linear time', (source, input) => {
    expect(patternProblem(source)).toBeNull()
    expect(compilePattern(source)(input)).toBe(false)
    expect(compilePattern(source)(input.slice(0, 10))).toBe(
      new RegExp(source, 'i').test(input.slice(0, 10)),
    )
  })

  it('matches anywhere, case-insensitively, with RE2 syntax', () => {
    expect(compilePattern('^s?vp\\b')('SVP of Sales')).toBe(true)
    expect(compilePattern('^s?vp\\b')('VPN admin')).toBe(false)
    expect(compilePattern('chief .* officer')('Chief Revenue Officer')).toBe(true)
    expect(compilePattern('(?P<tld>\\.io)$')('acme.IO')).toBe(true)
    expect(compilePattern('\\x{e9}t\\x{e9}')('ÉTÉ')).toBe(true)
    expect(compilePattern('\\p{Han}+')('销售总监')).toBe(true)
    expect(compilePattern('a.b')('a\nb')).toBe(false)
    expect(compilePattern('(?s)a.b')('a\nb')).toBe(true)
    expect(compilePattern('^\\d{3,5}$')('12345')).toBe(true)
  })

  it.each([
    ['(a)\\1', 'backreferences'],
    ['(?<n>a)\\k<n>', 'backreferences'],
    ['price(?=s)', 'lookahead and lookbehind'],
    ['price(?!s)', 'lookahead and lookbehind'],
    ['(?<=/)pricing', 'lookahead and lookbehind'],
    ['(?<!/)pricing', 'lookahead and lookbehind'],
    ['(?>a+)b', 'atomic groups'],
    ['a++b', 'possessive quantifiers'],
    ['\\u0041', 'invalid escape sequence'],
    ['[a-', 'missing closing ]'],
  ])('refuses %s, saying why', (source, why) => {
    const problem = patternProblem(source)
    expect(problem).toContain('Invalid regular expression')
    expect(problem).toContain(why)
    expect(problem).toContain('RE2 syntax')
  })

  it('refuses patterns that are too long or compile to too large a program', () => {
    expect(patternProblem('a'.repeat(MAX_PATTERN_LENGTH))).toBeNull()
    expect(patternProblem('a'.repeat(MAX_PATTERN_LENGTH + 1))).toContain(
      `at most ${MAX_PATTERN_LENGTH} characters`,
    )
    expect(patternProblem('.{500}')).toBeNull()
    expect(patternProblem('.{1000}')).toContain(`at most ${MAX_PROGRAM_SIZE}`)
    expect(patternProblem('(a{100}){100}')).not.toBeNull()
  })

  it('reports refused patterns with their path in the rule set', () => {
    expect(issuesOf(fitDoc({ matches: '^(a)\\1$' }))).toEqual([
      {
        path: 'rules[0].conditions.traits.title.matches',
        message: expect.stringContaining('backreferences'),
      },
    ])
    const engagement = {
      halfLifeDays: null,
      grades: [{ name: 'cold' }],
      rules: [
        {
          id: 'p',
          name: 'P',
          kind: 'engagement',
          points: 1,
          conditions: { anyOf: [{ type: 'track' }, { url: { regex: '/pricing(?!/old)' } }] },
        },
      ],
    }
    expect(issuesOf(engagement)).toEqual([
      {
        path: 'rules[0].conditions.anyOf[1].url.regex',
        message: expect.stringContaining('lookahead'),
      },
    ])
  })

  it('scores the issue-14 rules at once: title, property and page URL patterns', () => {
    const scorer = createScorer(
      ruleSet([
        {
          id: 'title',
          name: 'T',
          kind: 'fit',
          points: 1,
          conditions: { traits: { title: { matches: '^(a+)+$' } } },
        },
        {
          id: 'prop',
          name: 'P',
          kind: 'engagement',
          points: 2,
          conditions: { properties: { plan: { matches: '(x+x+)+y' } } },
        },
        {
          id: 'url',
          name: 'U',
          kind: 'engagement',
          points: 4,
          conditions: { url: { regex: '^(a|aa)+$' } },
        },
      ]),
    )
    expect(scorer.score(null, { title: 'a'.repeat(32) + '!' }, T0).fit).toBe(0)
    expect(scorer.score(null, { title: 'a'.repeat(32) }, T0).fit).toBe(1)
    const hostile = track('Signed Up', T0, { plan: 'x'.repeat(30_000) })
    expect(scorer.applyEvent(null, hostile).awards).toEqual([])
    expect(scorer.applyEvent(null, page('a'.repeat(4000) + '!', T0)).awards).toEqual([])
    expect(scorer.applyEvent(null, page('aaaa', T0)).awards.map((a) => a.rule)).toEqual(['url'])
  })

  it('offers at most 2,000 characters of a list to a pattern', () => {
    const scorer = createScorer(
      ruleSet([
        {
          id: 't',
          name: 'T',
          kind: 'fit',
          points: 1,
          conditions: { traits: { tags: { matches: 'vip' } } },
        },
      ]),
    )
    expect(scorer.score(null, { tags: ['x', 'VIP'] }, T0).fit).toBe(1)
    expect(scorer.score(null, { tags: ['x'.repeat(1990), 'vip'] }, T0).fit).toBe(1)
    expect(scorer.score(null, { tags: ['x'.repeat(2000), 'vip'] }, T0).fit).toBe(0)
  })
})
