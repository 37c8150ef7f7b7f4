import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'

// Settings endpoints: PATCH (and PUT, kept for existing clients) change only what is sent;
// custom computed traits reach the contact; orders without a rate are reported as unconverted.
describe.each(BACKENDS)('lifecycle settings PATCH on %s', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  const send = (method: 'PATCH' | 'PUT', path: string, body: unknown) =>
    t.app.request(path, {
      method,
      headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store)
  })
  afterAll(() => store.close())

  it('PUT and PATCH on traits-config keep the settings left out', async () => {
    const first = await send('PATCH', '/v1/lifecycle/traits-config', {
      currency: 'USD',
      exchangeRates: { EUR: 1.1 },
    })
    expect(first.status).toBe(200)
    const put = await send('PUT', '/v1/lifecycle/traits-config', {
      churnFormula: 'min(ticketsOpen * 10, 100)',
    })
    expect((await put.json()).traitsConfig).toMatchObject({
      currency: 'USD',
      exchangeRates: { EUR: 1.1 },
      churnFormula: 'min(ticketsOpen * 10, 100)',
      expectedLifespanYears: 3,
    })
    const patch = await send('PATCH', '/v1/lifecycle/traits-config', {
      expectedLifespanYears: 2,
      customTraits: [{ name: 'bigSpender', formula: 'totalRevenue > 250' }],
    })
    expect((await patch.json()).traitsConfig).toMatchObject({
      currency: 'USD',
      churnFormula: 'min(ticketsOpen * 10, 100)',
      expectedLifespanYears: 2,
    })
    // null puts one setting back to its default.
    const reset = await send('PATCH', '/v1/lifecycle/traits-config', { churnFormula: null })
    const cfg = (await reset.json()).traitsConfig
    expect(cfg.churnFormula).toContain('clamp(')
    expect(cfg.currency).toBe('USD')
    const bad = await send('PATCH', '/v1/lifecycle/traits-config', {
      customTraits: [{ name: 'nps', formula: '1' }],
    })
    expect(bad.status).toBe(400)
  })

  it('PATCH on reasons changes the kinds sent; on alert rules, the rules sent by id', async () => {
    const r = await send('PATCH', '/v1/lifecycle/reasons', { lost: ['Price', 'Legal'] })
    const reasons = (await r.json()).reasons
    expect(reasons.lost).toEqual(['Price', 'Legal'])
    expect(reasons.won).toContain('Referral')
    const a = await send('PATCH', '/v1/lifecycle/alert-rules', [
      { id: 'churn-high', kind: 'churn_risk_above', threshold: 80 },
      { id: 'vip-csat', kind: 'satisfaction_below', metric: 'csat', threshold: 2 },
    ])
    const rules = (await a.json()).alertRules as { id: string; threshold?: number }[]
    expect(rules.map((x) => x.id)).toEqual([
      'csat-low',
      'nps-detractor',
      'ticket-burst',
      'churn-high',
      'became-hot',
      'vip-csat',
    ])
    expect(rules.find((x) => x.id === 'churn-high')!.threshold).toBe(80)
  })

  it('custom traits and unconverted orders reach the contact', async () => {
    const order = (orderId: string, revenue: number, currency: string) => ({
      type: 'track',
      userId: 'cur-1',
      event: 'Order Completed',
      properties: { orderId, revenue, currency },
    })
    const res = await t.post(
      '/v1/batch',
      { batch: [order('a', 100, 'USD'), order('b', 200, 'EUR'), order('c', 50, 'GBP')] },
      { authorization: `Bearer ${t.ws.secretKey}` },
    )
    expect(res.status).toBe(200)
    const contact = await (await t.get('/v1/contacts/lookup?userId=cur-1')).json()
    expect(contact.traits).toMatchObject({
      orderCount: 3,
      totalRevenue: 320,
      averageOrderValue: 160,
      unconvertedOrders: 1,
      bigSpender: 1,
    })
  })

  it('measures the observed customer lifetime on request', async () => {
    const res = await t.app.request('/v1/lifecycle/observed-lifespan', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.ws.secretKey}` },
    })
    // One recent customer: nobody has left yet, so nothing is measured.
    expect(await res.json()).toEqual({ years: null, customers: 0 })
  })
})
