import { describe, expect, it } from 'vitest'
import { applyOp, fromForm, toConditions, toModel } from './segments-model.js'
import { segmentForm } from './segments-form.fixture.js'

// The segment builder's form model (segments-model.ts) on its own: rows, conditions, JSON.
describe('segment builder model', () => {
  it('form rows ↔ conditions, JSON and back', () => {
    const model = fromForm(segmentForm('x', 'preview'))
    const conditions = toConditions(model)
    expect(conditions).toEqual({
      all: [
        { traits: { industry: 'Software' } },
        { events: { match: { type: 'page', url: '*/pricing*' }, atLeast: 2, within: '14d' } },
      ],
    })
    // What the form cannot show travels as JSON; what it can comes back as rows.
    expect(toModel({ conditions }).rows.map((r) => r.kind)).toEqual(['trait', 'events'])
    expect(toModel({ conditions: { all: [{ any: [{ grade: 'hot' }] }] } }).advanced).toContain(
      '"any"',
    )
    const json = applyOp(model, 'to-json')
    expect(JSON.parse(json.advanced)).toEqual(conditions)
    expect(toConditions(applyOp(json, 'to-form'))).toEqual(conditions)
    expect(toConditions(applyOp({ ...model, rows: [] }, 'add:grade'))).toEqual({
      all: [{ grade: [] }],
    })
    const negated = toModel({ conditions: { any: [{ not: { role: 'decision_maker' } }] } })
    expect(negated.match).toBe('any')
    expect(negated.rows[0]).toMatchObject({ kind: 'role', not: true, value: 'decision_maker' })
  })
})
