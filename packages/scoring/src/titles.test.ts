import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES, buyingRole, createScorer } from './index.js'

describe('buying roles from titles', () => {
  it.each([
    ['CEO', 'decision_maker'],
    ['VP of Engineering', 'decision_maker'],
    ['Head of Growth', 'decision_maker'],
    ['首席执行官', 'decision_maker'],
    ['副总裁', 'decision_maker'],
    ['市场总监', 'decision_maker'],
    ['项目负责人', 'decision_maker'],
    ['联合创始人', 'decision_maker'],
    ['Marketing Manager', 'influencer'],
    ['产品经理', 'influencer'],
    ['Engineer', 'other'],
    ['Dire', 'other'],
    [null, 'other'],
  ])('%s → %s', (title, role) => {
    expect(buyingRole(title)).toBe(role)
  })

  it('gives Chinese decision-maker titles the default decision-maker points', () => {
    const scorer = createScorer(DEFAULT_RULES)
    for (const title of ['首席执行官', '总裁', '销售总监', '创始人']) {
      const rules = scorer.score(null, { title }, 0).breakdown.map((b) => b.rule)
      expect(rules).toContain('decision-maker')
    }
    expect(scorer.score(null, { title: '实习生' }, 0).breakdown.map((b) => b.rule)).toEqual([
      'non-decision-maker',
    ])
  })
})
