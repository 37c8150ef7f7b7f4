import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'

// The customer story of docs/lifecycle.md, through the HTTP API, evaluated on 2025-04-16.
const NOW = new Date('2025-04-16T10:00:00.000Z')
let n = 0
const mid = () => `lc-${++n}-${Math.random().toString(36).slice(2)}`
const track = (userId: string, event: string, timestamp: string, properties: object) => ({
  type: 'track',
  messageId: mid(),
  userId,
  event,
  timestamp,
  properties,
})

describe.each(BACKENDS)('customer lifecycle on %s', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  let secretBasic: Record<string, string>
  const sendSecret = async (...batch: object[]) => {
    const res = await t.post('/v1/batch', { batch }, secretBasic)
    return { status: res.status, body: await res.json() }
  }
  const contact = async (userId: string) =>
    (await t.get(`/v1/contacts/lookup?userId=${encodeURIComponent(userId)}`)).json()
  const alerts = async (userId: string) =>
    (await (await t.get(`/v1/contacts/userId:${userId}/alerts`)).json()).alerts as {
      ruleId: string
      value: unknown
      message: string
    }[]

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store, () => NOW)
    secretBasic = { authorization: `Basic ${btoa(`${t.ws.secretKey}:`)}` }
  })
  afterAll(() => store.close())

  it('refuses lifecycle events sent with a write key, per event', async () => {
    const res = await t.post('/v1/batch', {
      batch: [
        { type: 'page', messageId: mid(), anonymousId: 'a-1' },
        track('w-1', 'Deal Won', '2025-04-01T00:00:00Z', {
          dealId: 'D',
          amount: 1,
          currency: 'USD',
        }),
      ],
    })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.accepted).toBe(1)
    expect(body.rejected).toHaveLength(1)
    expect(body.rejected[0].index).toBe(1)
    expect(body.rejected[0].issues[0].code).toBe('secret_key_required')
    expect(body.rejected[0].issues[0].message).toMatch(/secret key/)
    expect((await t.get('/v1/contacts/lookup?userId=w-1')).status).toBe(404)
  })

  it('validates lifecycle properties and canonicalises ids, currency and reasons', async () => {
    const bad = await sendSecret(
      track('v-1', 'Survey Responded', '2025-04-01T00:00:00Z', { kind: 'csat', score: 9 }),
      track('v-1', 'Deal Lost', '2025-04-01T00:00:00Z', {
        dealId: 7,
        amount: 10,
        currency: 'eur',
        reason: 'Too pricey',
      }),
      track('v-1', 'Deal Lost', '2025-04-01T00:00:00Z', {
        dealId: 8,
        amount: 10,
        currency: 'eur',
        reason: '  no   BUDGET ',
      }),
    )
    expect(bad.status).toBe(200)
    expect(bad.body.accepted).toBe(1)
    expect(bad.body.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1])
    expect(bad.body.rejected[0].issues[0].path).toEqual(['properties', 'score'])
    const unknown = bad.body.rejected[1].issues[0]
    expect(unknown.code).toBe('unknown_reason')
    expect(unknown.message).toContain('Allowed: Price, Missing features')
    expect(unknown.allowed).toContain('No budget')
    const events = await (await t.get('/v1/contacts/userId:v-1/events')).json()
    expect(events.events[0].properties).toMatchObject({
      dealId: '8',
      currency: 'EUR',
      reason: 'No budget',
    })
  })

  it('manages reason lists through the API', async () => {
    const got = await (await t.get('/v1/lifecycle/reasons')).json()
    expect(got.reasons.lost).toContain('Chose a competitor')
    const dup = await t.put('/v1/lifecycle/reasons', { lost: ['Price', ' price '] })
    expect(dup.status).toBe(400)
    expect((await dup.json()).error.issues[0].code).toBe('invalid_reason_list')
    const ok = await t.put('/v1/lifecycle/reasons', { lost: ['Price', 'Too pricey', 'Legal'] })
    expect(ok.status).toBe(200)
    expect((await ok.json()).reasons.won).toContain('Referral')
    const sent = await sendSecret(
      track('v-2', 'Deal Lost', '2025-04-01T00:00:00Z', {
        dealId: 1,
        amount: 5,
        currency: 'USD',
        reason: 'too PRICEY',
      }),
    )
    expect(sent.body).toMatchObject({ accepted: 1, rejected: [] })
  })

  it('tells the story: computed traits, alerts once per crossing, webhooks in the outbox', async () => {
    const hook = await store.createWebhook(t.ws.id, {
      url: 'https://crm.example/hook',
      events: ['alert.fired', 'contact.traits_changed'],
    })
    const u = 'cust-42'
    const first = await sendSecret(
      {
        type: 'identify',
        messageId: mid(),
        userId: u,
        timestamp: '2025-03-01T08:00:00Z',
        traits: {
          email: ' Ana@Acme.example ',
          name: 'Ana López',
          company: 'Acme Inc',
          country: 'Deutschland',
          phone: '030 1234567',
        },
      },
      track(u, 'Deal Won', '2025-03-01T09:00:00Z', {
        dealId: 'D-1',
        amount: 12000,
        currency: 'EUR',
        reason: 'product fit',
      }),
      track(u, 'Order Completed', '2025-03-02T09:00:00Z', {
        orderId: 'O-1',
        revenue: 400,
        currency: 'EUR',
      }),
      track(u, 'Order Completed', '2025-04-02T09:00:00Z', {
        orderId: 'O-2',
        revenue: 200,
        currency: 'EUR',
      }),
    )
    expect(first.body).toMatchObject({ accepted: 4, rejected: [] })
    for (const [id, day] of [
      [101, '10'],
      [102, '12'],
    ] as const) {
      await sendSecret(
        track(u, 'Ticket Created', `2025-04-${day}T09:00:00Z`, { ticketId: id, category: 'Bug' }),
      )
    }
    expect(await alerts(u)).toEqual([])
    await sendSecret(
      track(u, 'Ticket Created', '2025-04-15T09:00:00Z', { ticketId: 103, category: 'Bug' }),
    )
    expect((await alerts(u)).map((a) => a.ruleId)).toEqual(['ticket-burst'])
    expect((await contact(u)).traits.churnRisk).toBe(53)

    await sendSecret(
      track(u, 'Survey Responded', '2025-04-16T09:00:00Z', {
        kind: 'csat',
        score: 2,
        reason: 'poor support',
      }),
    )
    const c = await contact(u)
    expect(c.traits).toMatchObject({
      email: 'ana@acme.example',
      country: 'DE',
      phone: '+49301234567',
      orderCount: 2,
      totalRevenue: 600,
      averageOrderValue: 300,
      purchaseFrequency: 2,
      lifetimeValue: 1800,
      dealsWon: 1,
      dealsWonAmount: 12000,
      ticketsTotal: 3,
      ticketsOpen: 3,
      ticketsLast30Days: 3,
      lastTicketAt: '2025-04-15T09:00:00.000Z',
      csat: 2,
      churnRisk: 65,
    })
    const fired = await alerts(u)
    expect(fired.map((a) => a.ruleId).sort()).toEqual(['churn-high', 'csat-low', 'ticket-burst'])
    expect(fired.find((a) => a.ruleId === 'csat-low')).toMatchObject({
      value: 2,
      message: 'CSAT 2 is below 3',
    })

    // Still unhappy: the conditions already held, so nothing fires again.
    await sendSecret(
      track(u, 'Survey Responded', '2025-04-16T09:30:00Z', { kind: 'csat', score: 1 }),
    )
    expect(await alerts(u)).toHaveLength(3)
    expect((await contact(u)).traits.churnRisk).toBe(77)

    // Happy again, then unhappy again: a new crossing fires again.
    await sendSecret(
      track(u, 'Survey Responded', '2025-04-16T09:40:00Z', { kind: 'csat', score: 5 }),
    )
    await sendSecret(
      track(u, 'Survey Responded', '2025-04-16T09:50:00Z', { kind: 'csat', score: 2 }),
    )
    expect((await alerts(u)).filter((a) => a.ruleId === 'csat-low')).toHaveLength(2)

    const outbox = await store.sql`select event_type, payload from webhook_deliveries
      where webhook_id = ${hook.id} order by id`
    const alertTypes = outbox.filter((r) => r.event_type === 'alert.fired')
    expect(alertTypes.map((r) => r.payload.data.ruleId)).toEqual([
      'ticket-burst',
      'csat-low',
      'churn-high',
      'csat-low',
      'churn-high',
    ])
    const computed = outbox.filter(
      (r) => r.event_type === 'contact.traits_changed' && r.payload.data.computed,
    )
    expect(computed.length).toBeGreaterThan(0)
    expect(computed.at(-1)!.payload.data.changed).toHaveProperty('csat', 2)
  })

  it('answers the one-batch example of docs/lifecycle.md as documented', async () => {
    const u = 'doc-42'
    const res = await t.post(
      '/v1/batch',
      {
        batch: [
          {
            type: 'identify',
            userId: u,
            traits: { email: ' Doc@Acme.example ', company: 'Acme Inc', country: 'Deutschland' },
          },
          track(u, 'Deal Won', '2025-03-01T09:00:00Z', {
            dealId: 'D-1',
            amount: 12000,
            currency: 'EUR',
            reason: 'product fit',
          }),
          track(u, 'Order Completed', '2025-03-02T09:00:00Z', {
            orderId: 'O-1',
            revenue: 400,
            currency: 'EUR',
          }),
          track(u, 'Order Completed', '2025-04-02T09:00:00Z', {
            orderId: 'O-2',
            revenue: 200,
            currency: 'EUR',
          }),
          track(u, 'Ticket Created', '2025-04-10T09:00:00Z', {
            ticketId: 101,
            category: 'Billing',
          }),
          track(u, 'Ticket Created', '2025-04-12T09:00:00Z', { ticketId: 102, category: 'Bug' }),
          track(u, 'Ticket Created', '2025-04-15T09:00:00Z', {
            ticketId: 103,
            category: 'Bug',
            priority: 'high',
          }),
          track(u, 'Survey Responded', '2025-04-16T09:00:00Z', {
            kind: 'csat',
            score: 2,
            reason: 'poor support',
            comment: 'Slow replies',
          }),
        ],
      },
      { authorization: `Bearer ${t.ws.secretKey}` },
    )
    expect(await res.json()).toEqual({ success: true, accepted: 8, duplicates: 0, rejected: [] })
    expect((await contact(u)).traits).toMatchObject({
      lifetimeValue: 1800,
      ticketsLast30Days: 3,
      churnRisk: 65,
    })
    expect((await alerts(u)).map((a) => a.ruleId).sort()).toEqual([
      'churn-high',
      'csat-low',
      'ticket-burst',
    ])
    const allBad = await t.post(
      '/v1/batch',
      { batch: [track(u, 'Survey Responded', '2025-04-16T09:00:00Z', { kind: 'csat', score: 9 })] },
      { authorization: `Bearer ${t.ws.secretKey}` },
    )
    expect(allBad.status).toBe(400)
    const bad = await allBad.json()
    expect(bad.error.code).toBe('invalid_events')
    expect(bad.rejected[0].issues[0]).toMatchObject({
      path: ['properties', 'score'],
      code: 'too_big',
    })
  })

  it('recomputes with the workspace configuration and refuses unsafe formulas', async () => {
    const evil = await t.put('/v1/lifecycle/traits-config', {
      churnFormula: 'constructor.constructor("return process")()',
    })
    expect(evil.status).toBe(400)
    expect((await evil.json()).error.issues[0].code).toMatch(/^formula_/)
    const ok = await t.put('/v1/lifecycle/traits-config', {
      expectedLifespanYears: 5,
      churnFormula: 'min(ticketsOpen * 10, 100)',
    })
    expect(ok.status).toBe(200)
    await sendSecret(track('cust-42', 'Ticket Resolved', '2025-04-16T09:55:00Z', { ticketId: 103 }))
    const traits = (await contact('cust-42')).traits
    expect(traits.lifetimeValue).toBe(3000)
    expect(traits.ticketsOpen).toBe(2)
    expect(traits.churnRisk).toBe(20)
    const badRules = await t.put('/v1/lifecycle/alert-rules', [{ id: 'x', kind: 'nope' }])
    expect(badRules.status).toBe(400)
    expect((await badRules.json()).error.issues[0].code).toBe('invalid_alert_rule')
  })

  it('answers bad input with a 4xx JSON error, never a 500', async () => {
    const raw = (path: string, method: string, body?: string) =>
      t.app.request(path, {
        method,
        headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
        body,
      })
    const cases: [string, string, string?][] = [
      ['/v1/lifecycle/reasons', 'PUT', '{not json'],
      ['/v1/lifecycle/reasons', 'PUT', '["Price"]'],
      ['/v1/lifecycle/reasons', 'PUT', '{"refund":["x"]}'],
      ['/v1/lifecycle/reasons', 'PUT', '{"lost":[]}'],
      ['/v1/lifecycle/alert-rules', 'PUT', 'null'],
      ['/v1/lifecycle/traits-config', 'PUT', 'null'],
      ['/v1/lifecycle/traits-config', 'PUT', '{"expectedLifespanYears":-1}'],
      ['/v1/lifecycle/traits-config', 'PUT', '{"churnFormula":"' + '('.repeat(5000) + '"}'],
      ['/v1/kpis?from=yesterday', 'GET'],
      ['/v1/kpis?from=2025-02-01&to=2025-01-01', 'GET'],
      ['/v1/kpis?from=1970-01-01&period=day', 'GET'],
      ['/v1/contacts/not-a-uuid/alerts', 'GET'],
      ['/v1/contacts/userId:nobody/alerts?limit=0', 'GET'],
      ['/v1/contacts/export?format=', 'GET'],
    ]
    for (const [path, method, body] of cases) {
      const res = await raw(path, method, body)
      expect([path, res.status >= 400 && res.status < 500]).toEqual([path, true])
      expect((await res.json()).success).toBe(false)
    }
    const anon = await t.app.request('/v1/quality')
    expect(anon.status).toBe(401)
    const writeKey = await t.app.request('/v1/lifecycle/reasons', {
      headers: { authorization: `Basic ${btoa(`${t.ws.writeKey}:`)}` },
    })
    expect(writeKey.status).toBe(403)
  })

  it('reports data quality, KPIs and exports contacts as CSV and JSON', async () => {
    await t.post('/v1/batch', {
      batch: [
        {
          type: 'identify',
          messageId: mid(),
          userId: 'q-1',
          traits: { name: 'Bob Stone', company: 'Acme, Inc.', email: 'bob@mailinator.com' },
        },
        {
          type: 'identify',
          messageId: mid(),
          userId: 'q-2',
          traits: { name: 'stone bob', company: 'ACME', title: '=HYPERLINK("http://x")' },
        },
      ],
    })
    const q = await (await t.get('/v1/quality')).json()
    const [b1, b2] = [(await contact('q-1')).id, (await contact('q-2')).id]
    expect(q.missingEmail).toContain(b2)
    expect(q.invalid.find((i: { id: string }) => i.id === b1).issues[0].code).toBe(
      'disposable_email',
    )
    expect(q.duplicates).toContainEqual({ company: 'acme', contactIds: [b1, b2].sort() })

    const k = await (
      await t.get('/v1/kpis?from=2025-04-01T00:00:00Z&to=2025-04-30T23:59:59Z&period=month')
    ).json()
    expect(k.overall.csat).toMatchObject({ responses: 5, satisfied: 1, score: 20 })
    expect(k.satisfaction[0].period).toBe('2025-04')
    expect((await t.get('/v1/kpis?period=fortnight')).status).toBe(400)

    const csv = await t.get('/v1/contacts/export?format=csv')
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const text = await csv.text()
    const [header, ...lines] = text.trim().split('\r\n')
    expect(
      header!.startsWith('id,firstSeen,lastSeen,fit,engagement,total,grade,traits.email'),
    ).toBe(true)
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`)
    expect(text).not.toMatch(/,=HYPERLINK/)
    const json = await (await t.get('/v1/contacts/export?format=json')).json()
    expect(json.contacts).toHaveLength(lines.length)
    const ana = json.contacts.find(
      (c: { traits: { email?: string } }) => c.traits.email === 'ana@acme.example',
    )
    expect(ana).toMatchObject({ traits: { lifetimeValue: 3000 }, grade: expect.any(String) })
    expect((await t.get('/v1/contacts/export?format=xml')).status).toBe(400)
  })
})
