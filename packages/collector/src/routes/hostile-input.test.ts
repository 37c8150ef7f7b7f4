import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dashboardClient } from '../test-support/dashboard.js'
import { createTestApp } from '../test-support/app.js'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'

// Issue 14: hostile input to the secret-key APIs and the dashboard answers 4xx, never a 500 or
// a stack overflow, and a filter on a prototype key filters. The freeze findings (patterns) run
// against a real process in test/hostile-patterns.test.ts.

function nestedAnyOf(levels: number) {
  let conditions: object = { traits: { title: 'CTO' } }
  for (let i = 0; i < levels; i++) conditions = { anyOf: [conditions] }
  return {
    halfLifeDays: null,
    grades: [{ name: 'cold' }],
    rules: [{ id: 'deep', name: 'Deep', kind: 'fit', points: 1, conditions }],
  }
}

let n = 0
const mid = () => `hostile-${++n}-${Math.random().toString(36).slice(2)}`

describe.each(BACKENDS)('hostile input on %s', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store)
    const batch = ['Ada', 'Bob', 'Cy'].map((name) => ({
      type: 'identify',
      messageId: mid(),
      userId: name.toLowerCase(),
      traits: { name, title: name === 'Ada' ? 'VP Marketing' : 'Engineer' },
    }))
    expect((await t.post('/v1/batch', { batch })).status).toBe(200)
  })
  afterAll(() => store.close())

  const names = async (query: string) => {
    const res = await t.get(`/v1/contacts?${query}`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { contacts: { traits: { name: string } }[] }
    return body.contacts.map((c) => c.traits.name).sort()
  }

  it('GET /v1/contacts?trait.__proto__=x filters (no contact has that trait)', async () => {
    expect(await names('trait.title=VP%20Marketing')).toEqual(['Ada'])
    expect(await names('')).toEqual(['Ada', 'Bob', 'Cy'])
    expect(await names('trait.__proto__=x')).toEqual([])
    expect(await names('trait.constructor=x')).toEqual([])
    expect(await names('trait.__proto__=x&trait.name=Ada')).toEqual([])
  })

  it('PUT /v1/scoring/rules with ~600 nested anyOf (7 KB) answers 400 with the path', async () => {
    const doc = nestedAnyOf(600)
    expect(JSON.stringify(doc).length).toBeLessThan(8_000)
    const res = await t.put('/v1/scoring/rules', doc)
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error.code).toBe('invalid_rules')
    expect(body.error.issues).toHaveLength(1)
    expect(body.error.issues[0].path).toMatch(/^rules\[0\]\.conditions(\.anyOf\[0\])+/)
    expect(body.error.issues[0].message).toContain('Nested too deeply')
  })

  it.each(['/v1/lifecycle/reasons', '/v1/lifecycle/alert-rules', '/v1/lifecycle/traits-config'])(
    'PUT %s with 5,000 nested lists answers 4xx, not a 500',
    async (path) => {
      const res = await t.app.request(path, {
        method: 'PUT',
        headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
        body: '['.repeat(5000) + ']'.repeat(5000),
      })
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
    },
  )

  it('PUT /v1/scoring/rules refuses patterns RE2 cannot run, with the path', async () => {
    const doc = {
      halfLifeDays: null,
      grades: [{ name: 'cold' }],
      rules: [
        {
          id: 'look',
          name: 'Lookahead',
          kind: 'engagement',
          points: 1,
          conditions: { url: { regex: '/pricing(?!/old)' } },
        },
        {
          id: 'back',
          name: 'Backreference',
          kind: 'fit',
          points: 1,
          conditions: { traits: { title: { matches: '^(\\w+) \\1$' } } },
        },
      ],
    }
    const res = await t.put('/v1/scoring/rules', doc)
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.issues.map((i: { path: string }) => i.path)).toEqual([
      'rules[0].conditions.url.regex',
      'rules[1].conditions.traits.title.matches',
    ])
    expect(error.issues[0].message).toContain('lookahead')
    expect(error.issues[1].message).toContain('backreferences')
  })

  it('the dashboard rules form shows the nesting error inline', async () => {
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const _csrf = await c.csrf()
    const res = await c.post('/app/rules', { _csrf, rules: JSON.stringify(nestedAnyOf(600)) })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('Nested too deeply')
    expect(html).toMatch(/<code>rules\[0\]\.conditions\.anyOf\[0\]/)
  })

  it('keeps ingesting when a stored version holds a rule that is no longer valid', async () => {
    // A version saved before patterns ran on RE2: its lookahead rule is left out, the rest scores.
    const rules = {
      halfLifeDays: null,
      grades: [{ name: 'cold' }],
      rules: [
        {
          id: 'old',
          name: 'Old lookahead',
          kind: 'engagement',
          points: 5,
          conditions: { url: { regex: '/pricing(?!/old)' } },
        },
        {
          id: 'page',
          name: 'Any page',
          kind: 'engagement',
          points: 3,
          conditions: { type: 'page' },
        },
      ],
    }
    await store.sql`insert into scoring_rules (workspace_id, version, rules)
      values (${t.ws.id}, 1000, ${store.sql.json(rules)})`
    const view = {
      type: 'page',
      messageId: mid(),
      anonymousId: 'after-upgrade',
      properties: { url: '/pricing' },
    }
    expect((await t.post('/v1/batch', { batch: [view] })).status).toBe(200)
    const contact = await (await t.get('/v1/contacts/lookup?anonymousId=after-upgrade')).json()
    expect(contact.score.total).toBe(3)
  })
})
