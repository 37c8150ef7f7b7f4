import { DEFAULT_RULES, validateRules } from '@lodestone/scoring'
import { describe, expect, it } from 'vitest'
import { applyOp, fromForm, toDoc, toModel } from './rules-model.js'

/** The builder form's fields for a model, as the page writes them. */
function formOf(doc: unknown): Record<string, string> {
  const m = toModel(doc)
  const form: Record<string, string> = {
    ruleCount: String(m.rules.length),
    gradeCount: String(m.grades.length),
    extra: JSON.stringify(m.extra),
    halfLifeDays: m.halfLifeDays,
  }
  m.grades.forEach((g, j) => Object.assign(form, { [`g${j}.name`]: g.name, [`g${j}.min`]: g.min }))
  m.rules.forEach((r, i) => {
    const p = `r${i}.`
    for (const k of [
      'id',
      'name',
      'description',
      'kind',
      'points',
      'type',
      'event',
      'url',
    ] as const)
      form[p + k] = r[k]
    Object.assign(form, {
      [`${p}countAtLeast`]: r.countAtLeast,
      [`${p}countDays`]: r.countDays,
      [`${p}capPerDay`]: r.capPerDay,
      [`${p}capPerWeek`]: r.capPerWeek,
      [`${p}advanced`]: r.advanced,
    })
    if (r.enabled) form[`${p}enabled`] = '1'
    if (r.capOnce) form[`${p}capOnce`] = '1'
    r.traits.forEach((t, k) =>
      Object.assign(form, {
        [`${p}t${k}.name`]: t.name,
        [`${p}t${k}.op`]: t.op,
        [`${p}t${k}.value`]: t.value,
      }),
    )
  })
  return form
}

describe('rule builder model', () => {
  it('round-trips the default rules through the form without changing their meaning', () => {
    const doc = toDoc(fromForm(formOf(DEFAULT_RULES)))
    expect(validateRules(doc)).toEqual(validateRules(DEFAULT_RULES))
  })

  it('serialises rules in the documented key order, the same every time', () => {
    const scrambled = {
      rules: [
        {
          points: 5,
          conditions: { event: 'Demo Requested', type: 'track' },
          kind: 'engagement',
          name: 'Demo',
          id: 'demo',
          caps: { perDay: 1 },
        },
      ],
      grades: [{ name: 'cold' }, { min: 20, name: 'warm' }],
      halfLifeDays: 30,
    }
    const text = JSON.stringify(toDoc(toModel(scrambled)), null, 2)
    const doc = JSON.parse(text)
    expect(Object.keys(doc)).toEqual(['halfLifeDays', 'grades', 'rules'])
    expect(Object.keys(doc.rules[0])).toEqual([
      'id',
      'name',
      'kind',
      'points',
      'conditions',
      'caps',
    ])
    expect(JSON.stringify(toDoc(toModel(doc)), null, 2)).toBe(text)
  })

  it('builds trait tests, counts in a window and caps from plain fields', () => {
    const form = formOf({ halfLifeDays: null, grades: [{ name: 'cold' }], rules: [] })
    Object.assign(form, {
      ruleCount: '2',
      'r0.id': 'big',
      'r0.name': 'Big company',
      'r0.kind': 'fit',
      'r0.enabled': '1',
      'r0.points': '20',
      'r0.t0.name': 'employees',
      'r0.t0.op': 'gte',
      'r0.t0.value': '100',
      'r0.t1.name': 'industry',
      'r0.t1.op': 'in',
      'r0.t1.value': 'Software，SaaS',
      'r1.id': 'webinars',
      'r1.name': 'Two webinars',
      'r1.kind': 'engagement',
      'r1.points': '15',
      'r1.type': 'track',
      'r1.event': 'Webinar Attended',
      'r1.countAtLeast': '2',
      'r1.countDays': '30',
      'r1.capOnce': '1',
    })
    const doc = toDoc(fromForm(form))
    expect(validateRules(doc).rules).toHaveLength(2)
    expect(doc.rules).toEqual([
      {
        id: 'big',
        name: 'Big company',
        kind: 'fit',
        points: 20,
        conditions: { traits: { employees: { gte: 100 }, industry: ['Software', 'SaaS'] } },
      },
      {
        id: 'webinars',
        name: 'Two webinars',
        kind: 'engagement',
        enabled: false,
        points: 15,
        conditions: {
          type: 'track',
          event: 'Webinar Attended',
          count: { atLeast: 2, within: '30d' },
        },
        caps: { once: true },
      },
    ])
  })

  it('keeps conditions the form cannot express as their JSON, untouched', () => {
    const conditions = { anyOf: [{ url: { regex: '^/docs' } }, { event: ['A', 'B'] }] }
    const doc = {
      grades: [{ name: 'cold' }],
      rules: [{ id: 'x', name: 'X', kind: 'engagement', points: 1, conditions }],
    }
    expect(toDoc(fromForm(formOf(doc))).rules).toEqual([
      { id: 'x', name: 'X', kind: 'engagement', points: 1, conditions },
    ])
  })

  it('adds, moves and deletes rules and grades', () => {
    let m = toModel(DEFAULT_RULES)
    const ids = m.rules.map((r) => r.id)
    m = applyOp(m, 'down:0')
    expect(m.rules.map((r) => r.id).slice(0, 2)).toEqual([ids[1], ids[0]])
    m = applyOp(m, 'up:1')
    expect(m.rules.map((r) => r.id)).toEqual(ids)
    m = applyOp(m, 'add-fit')
    expect(m.rules[m.rules.length - 1]!.kind).toBe('fit')
    m = applyOp(m, `delete:${m.rules.length - 1}`)
    expect(m.rules.map((r) => r.id)).toEqual(ids)
    m = applyOp(applyOp(m, 'add-grade'), 'delete-grade:0')
    expect(m.grades).toHaveLength(DEFAULT_RULES.grades.length + 1) // the lowest grade stays
  })
})
