import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES } from './default-rules.js'
import { MAX_RULES_DEPTH, MAX_RULES_VALUES } from './document-limits.js'
import { ScoringError } from './errors.js'
import { createScorer, validateRules } from './index.js'

function nested(kind: 'fit' | 'engagement', levels: number) {
  let conditions: object = kind === 'fit' ? { traits: { title: 'CTO' } } : { type: 'page' }
  for (let i = 0; i < levels; i++) conditions = { anyOf: [conditions] }
  return {
    halfLifeDays: null,
    grades: [{ name: 'cold' }],
    rules: [{ id: 'deep', name: 'Deep', kind, points: 1, conditions }],
  }
}

function issuesOf(input: unknown) {
  try {
    validateRules(input)
  } catch (err) {
    expect(err).toBeInstanceOf(ScoringError)
    return (err as ScoringError).issues
  }
  throw new Error('expected validation to fail')
}

describe('rule-set size and nesting limits', () => {
  it.each(['fit', 'engagement'] as const)(
    'refuses ~600 nested anyOf (%s) with a path, instead of overflowing the stack',
    (kind) => {
      const doc = nested(kind, 600)
      expect(JSON.stringify(doc).length).toBeLessThan(8_000)
      const [issue, ...rest] = issuesOf(doc)
      expect(rest).toEqual([])
      expect(issue!.path).toMatch(/^rules\[0\]\.conditions(\.anyOf\[0\])+/)
      expect(issue!.message).toContain(`at most ${MAX_RULES_DEPTH} levels`)
    },
  )

  it('accepts six levels of anyOf inside anyOf, refuses the nesting limit', () => {
    expect(() => createScorer(nested('fit', 6))).not.toThrow()
    expect(() => createScorer(nested('engagement', 6))).not.toThrow()
    expect(issuesOf(nested('fit', 9))[0]!.message).toContain('Nested too deeply')
  })

  it('refuses a document with too many values, and a __proto__ key', () => {
    const huge = { ...nested('fit', 0), version: 'x', extra: new Array(MAX_RULES_VALUES).fill(0) }
    expect(issuesOf(huge)[0]!.message).toContain(`at most ${MAX_RULES_VALUES} values`)
    const proto = JSON.parse(
      '{"halfLifeDays":null,"grades":[{"name":"cold"}],"rules":[{"id":"r","name":"R",' +
        '"kind":"fit","points":1,"conditions":{"traits":{"__proto__":{"exists":true},"title":"x"}}}]}',
    )
    expect(issuesOf(proto)).toEqual([
      {
        path: 'rules[0].conditions.traits.__proto__',
        message: '"__proto__" cannot be used as a key',
      },
    ])
  })

  it('reads only own traits and own state entries (a rule named constructor)', () => {
    const scorer = createScorer({
      halfLifeDays: null,
      grades: [{ name: 'cold' }],
      rules: [
        {
          id: 'fit',
          name: 'F',
          kind: 'fit',
          points: 1,
          conditions: { traits: { constructor: { exists: true } } },
        },
        {
          id: 'constructor',
          name: 'C',
          kind: 'engagement',
          points: 2,
          conditions: { type: 'page' },
        },
      ],
    })
    expect(scorer.score(null, {}, 0).total).toBe(0)
    expect(scorer.score(null, { constructor: 'yes' }, 0).total).toBe(1)
    const { state } = scorer.applyEvent(null, {
      type: 'page',
      timestamp: '2026-01-01T00:00:00.000Z',
      messageId: 'm1',
    })
    expect(scorer.score(state, {}, Date.parse('2026-01-02')).total).toBe(2)
  })

  it('keeps the default rules well inside the limits', () => {
    expect(() => validateRules(JSON.parse(JSON.stringify(DEFAULT_RULES)))).not.toThrow()
  })
})
