import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES } from './default-rules.js'
import { ScoringError } from './errors.js'
import { createScorer, validateRules } from './index.js'

const fitRule = {
  id: 'cto',
  name: 'CTO',
  kind: 'fit',
  points: 5,
  conditions: { traits: { title: 'CTO' } },
}

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    validateRules(input)
  } catch (err) {
    expect(err).toBeInstanceOf(ScoringError)
    expect((err as ScoringError).code).toBe('invalid_rules')
    return (err as ScoringError).issues
  }
  throw new Error('expected validation to fail')
}

function doc(rules: unknown[], extra: object = {}): object {
  return { halfLifeDays: 30, grades: [{ name: 'cold' }], rules, ...extra }
}

describe('validateRules', () => {
  it('accepts the default rules, also after a JSON round trip', () => {
    expect(validateRules(DEFAULT_RULES).rules.length).toBe(DEFAULT_RULES.rules.length)
    expect(() => validateRules(JSON.parse(JSON.stringify(DEFAULT_RULES)))).not.toThrow()
  })

  it('reports each problem with a readable path', () => {
    const issues = issuesOf(
      doc([
        { ...fitRule, id: 'Bad Id', points: 0 },
        { id: 'x', name: 'X', kind: 'nope', points: 1, conditions: {} },
      ]),
    )
    const paths = issues.map((i) => i.path)
    expect(paths).toContain('rules[0].id')
    expect(paths).toContain('rules[0].points')
    expect(paths).toContain('rules[1].kind')
    expect(issues.find((i) => i.path === 'rules[0].points')?.message).toBe('Points must not be 0')
  })

  it('puts every issue in the error message and in toJSON', () => {
    try {
      createScorer(doc([{ ...fitRule, points: 'ten' }]))
      expect.unreachable()
    } catch (err) {
      const e = err as ScoringError
      expect(e.message).toMatch(/^Invalid scoring rules: rules\[0\]\.points: /)
      expect(e.toJSON()).toMatchObject({
        code: 'invalid_rules',
        issues: [{ path: 'rules[0].points' }],
      })
    }
  })

  it('rejects duplicate rule ids', () => {
    expect(issuesOf(doc([fitRule, fitRule]))).toEqual([
      { path: 'rules[1].id', message: 'Duplicate rule id "cto"' },
    ])
  })

  it('keeps fit rules to traits and refuses caps on them', () => {
    const issues = issuesOf(
      doc([{ ...fitRule, conditions: { type: 'page' }, caps: { once: true } }]),
    )
    expect(issues.map((i) => i.message).join('\n')).toMatch(/traits only.*type/)
    expect(issues.map((i) => i.path)).toContain('rules[0].caps')
  })

  it('rejects unknown keys, bad regexes, bad globs objects and empty conditions', () => {
    const engagement = (conditions: unknown, caps?: unknown) => ({
      id: 'e',
      name: 'E',
      kind: 'engagement',
      points: 1,
      conditions,
      caps,
    })
    expect(issuesOf(doc([engagement({ url: { regex: '(' } })]))[0]?.message).toMatch(
      /Invalid regular expression/,
    )
    expect(issuesOf(doc([engagement({ url: { glob: '*a', regex: 'a' } })]))[0]?.message).toBe(
      'Give exactly one of glob or regex',
    )
    expect(issuesOf(doc([engagement({ evnt: 'x' })]))[0]?.message).toMatch(/Unrecognized key/)
    expect(issuesOf(doc([engagement({})]))[0]?.path).toBe('rules[0].conditions')
    expect(issuesOf(doc([engagement({ type: 'click' })]))[0]?.path).toBe('rules[0].conditions.type')
    expect(issuesOf(doc([engagement({ type: 'page' }, {})]))[0]?.path).toBe('rules[0].caps')
    expect(issuesOf(doc([engagement({ properties: { a: {} } })]))[0]?.path).toBe(
      'rules[0].conditions.properties.a',
    )
  })

  it('checks count conditions', () => {
    const counting = (count: unknown) => ({
      id: 'c',
      name: 'C',
      kind: 'engagement',
      points: 1,
      conditions: { type: 'page', count },
    })
    const message = (count: unknown) => issuesOf(doc([counting(count)]))[0]?.message
    expect(message({ within: '7d' })).toBe('Give exactly one of atLeast or fewerThan')
    expect(message({ atLeast: 2, within: '7 days' })).toMatch(/duration such as/)
    expect(message({ atLeast: 2, within: '400d' })).toBe('A window is at most 366 days')
    expect(message({ atLeast: 2, within: '1d', sessionGapMinutes: 10 })).toMatch(/only applies/)
    expect(message({ fewerThan: 2, within: 'session', of: { type: 'page' } })).toMatch(/not both/)
  })

  it('checks grades: only the first may leave min out, mins increase, names are unique', () => {
    const grades = (g: unknown) => issuesOf(doc([], { grades: g }))
    expect(grades([{ name: 'a' }, { name: 'b' }])[0]?.path).toBe('grades[1].min')
    expect(
      grades([{ name: 'a' }, { name: 'b', min: 5 }, { name: 'c', min: 5 }])[0]?.message,
    ).toMatch(/must increase/)
    expect(grades([{ name: 'a' }, { name: 'a', min: 1 }])[0]?.message).toBe('Duplicate grade "a"')
    expect(grades([])[0]?.path).toBe('grades')
    expect(() => validateRules(doc([], { grades: [{ name: 'a', min: -Infinity }] }))).not.toThrow()
  })

  it('requires halfLifeDays, positive or null', () => {
    expect(issuesOf({ grades: [{ name: 'a' }], rules: [] })[0]?.path).toBe('halfLifeDays')
    expect(issuesOf(doc([], { halfLifeDays: -1 }))[0]?.path).toBe('halfLifeDays')
    expect(validateRules(doc([], { halfLifeDays: null })).halfLifeDays).toBeNull()
  })

  it('rejects what is not a rule set at all', () => {
    expect(issuesOf(null)[0]?.path).toBe('')
    expect(issuesOf('rules').length).toBe(1)
  })
})

describe('fingerprint', () => {
  it('is equal for equal documents whatever the key order, and differs when a rule changes', () => {
    const a = createScorer(doc([fitRule]))
    const b = createScorer({
      rules: [{ ...fitRule }],
      grades: [{ name: 'cold' }],
      halfLifeDays: 30,
    })
    const c = createScorer(doc([{ ...fitRule, points: 6 }]))
    expect(a.fingerprint).toBe(b.fingerprint)
    expect(a.fingerprint).not.toBe(c.fingerprint)
  })
})
