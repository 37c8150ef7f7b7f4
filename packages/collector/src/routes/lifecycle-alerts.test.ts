import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { DEMO_RULES as RULES } from '../test-support/events.js'

// Alerts beyond the basic story: the live feed, "lead became hot", merges and GDPR erasure.
let n = 0
const mid = () => `la-${++n}-${Math.random().toString(36).slice(2)}`
const ticket = (ids: object, ticketId: number, daysAgo: number) => ({
  type: 'track',
  messageId: mid(),
  event: 'Ticket Created',
  timestamp: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
  properties: { ticketId, category: 'Bug' },
  ...ids,
})

describe.each(BACKENDS)('lifecycle alerts on %s', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  let secret: Record<string, string>
  const alertIds = async (ref: string) =>
    ((await (await t.get(`/v1/contacts/${ref}/alerts`)).json()).alerts as { ruleId: string }[])
      .map((a) => a.ruleId)
      .sort()

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store)
    secret = { authorization: `Bearer ${t.ws.secretKey}` }
    expect((await t.put('/v1/scoring/rules', RULES)).status).toBe(200)
  })
  afterAll(() => store.close())

  it('fires "lead became hot" once, on the live feed too', async () => {
    const ctrl = new AbortController()
    const res = await t.app.request('/v1/stream', { headers: secret, signal: ctrl.signal })
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    while (!text.includes('event: ready')) text += decoder.decode((await reader.read()).value)
    const demo = {
      type: 'page',
      anonymousId: 'hot-1',
      context: { page: { url: 'https://acme.test/demo' } },
    }
    expect((await t.post('/v1/batch', { batch: [{ ...demo, messageId: mid() }] })).status).toBe(200)
    while (!text.includes('event: alert')) text += decoder.decode((await reader.read()).value)
    ctrl.abort()
    const line = text.split('\n').find((l) => l.startsWith('data:') && l.includes('Alert Fired'))!
    expect(JSON.parse(line.slice(5))).toMatchObject({
      kind: 'alert',
      ruleId: 'became-hot',
      alertKind: 'grade_became',
      value: 'hot',
      message: 'Grade became hot',
    })
    await t.post('/v1/batch', { batch: [{ ...demo, messageId: mid() }] })
    expect(await alertIds('anonymousId:hot-1')).toEqual(['became-hot'])
  })

  it('carries alerts and their state through a merge without firing again', async () => {
    // The older contact knows only the customer id; the tickets arrive for an anonymous one.
    await t.post('/v1/identify', { userId: 'm-user', traits: { name: 'Mia' } }, secret)
    const burst = [1, 2, 3].map((i) => ticket({ anonymousId: 'm-anon' }, 900 + i, i))
    const sent = await (await t.post('/v1/batch', { batch: burst }, secret)).json()
    expect(sent).toMatchObject({ accepted: 3, rejected: [] })
    expect(await alertIds('anonymousId:m-anon')).toEqual(['ticket-burst'])

    await t.post('/v1/identify', { userId: 'm-user', anonymousId: 'm-anon' }, secret)
    const merged = await (await t.get('/v1/contacts/lookup?userId=m-user')).json()
    expect(merged.identities.map((i: { value: string }) => i.value)).toContain('m-anon')
    expect(merged.traits).toMatchObject({ name: 'Mia', ticketsTotal: 3, ticketsOpen: 3 })
    expect(await alertIds(merged.id)).toEqual(['ticket-burst'])
    // A fourth ticket: the burst still holds, no new alert.
    await t.post('/v1/batch', { batch: [ticket({ userId: 'm-user' }, 904, 0)] }, secret)
    expect(await alertIds(merged.id)).toEqual(['ticket-burst'])
  })

  it('erases alerts with the contact (GDPR)', async () => {
    const c = await (await t.get('/v1/contacts/lookup?userId=m-user')).json()
    const del = await t.app.request(`/v1/contacts/${c.id}`, { method: 'DELETE', headers: secret })
    expect(del.status).toBe(200)
    const left = await store.sql`select count(*)::int as n from contact_alerts
      where workspace_id = ${t.ws.id} and contact_id = ${c.id}`
    const state = await store.sql`select count(*)::int as n from contact_alert_state
      where contact_id = ${c.id}`
    expect([left[0]!.n, state[0]!.n]).toEqual([0, 0])
    expect((await t.get(`/v1/contacts/${c.id}/alerts`)).status).toBe(404)
  })

  it("honours a workspace's own alert rules", async () => {
    const put = await t.put('/v1/lifecycle/alert-rules', {
      alertRules: [{ id: 'two-tickets', kind: 'tickets_within', count: 2, windowDays: 30 }],
    })
    expect(put.status).toBe(200)
    await t.post(
      '/v1/batch',
      { batch: [ticket({ userId: 'r-1' }, 1, 3), ticket({ userId: 'r-1' }, 2, 2)] },
      secret,
    )
    expect(await alertIds('userId:r-1')).toEqual(['two-tickets'])
  })
})
