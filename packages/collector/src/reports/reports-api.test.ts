import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { createPostgresStore } from '../adapters/postgres/store.js'

// The reports API over real storage (PGlite and PostgreSQL 15). Every expected figure is
// computed here from the events the test sends, never read back from the code under test.

const DAY = 86_400_000
let n = 0
const mid = () => `rp-${++n}-${Math.random().toString(36).slice(2)}`

interface Deal {
  user: string
  event: 'Deal Won' | 'Deal Lost'
  dealId: string
  amount: number
  reason?: string
  at: string
}
interface Survey {
  user: string
  kind: 'nps' | 'csat' | 'ces'
  score: number
  reason?: string
  at: string
}

const DEALS: Deal[] = [
  { user: 'u1', event: 'Deal Lost', dealId: 'd1', amount: 1000, reason: 'Price', at: '2025-01-10' },
  { user: 'u2', event: 'Deal Lost', dealId: 'd2', amount: 500, reason: 'price', at: '2025-01-20' },
  { user: 'u3', event: 'Deal Lost', dealId: 'd3', amount: 700, reason: 'Timing', at: '2025-02-03' },
  { user: 'u1', event: 'Deal Lost', dealId: 'd4', amount: 300, reason: 'Price', at: '2025-02-11' },
  { user: 'u2', event: 'Deal Lost', dealId: 'd5', amount: 250, reason: 'Price', at: '2025-02-12' },
  { user: 'u2', event: 'Deal Lost', dealId: 'd6', amount: 100, reason: 'Price', at: '2025-02-13' },
  // Lost in January, won in March: counts once, as won.
  { user: 'u4', event: 'Deal Lost', dealId: 'd7', amount: 900, reason: 'Timing', at: '2025-01-05' },
  {
    user: 'u4',
    event: 'Deal Won',
    dealId: 'd7',
    amount: 900,
    reason: 'Referral',
    at: '2025-03-02',
  },
  {
    user: 'u5',
    event: 'Deal Won',
    dealId: 'd8',
    amount: 1200,
    reason: 'Product fit',
    at: '2025-03-09',
  },
  { user: 'u5', event: 'Deal Won', dealId: 'd9', amount: 50, at: '2025-03-10' },
]
const SURVEYS: Survey[] = [
  { user: 'u1', kind: 'nps', score: 3, reason: 'Poor support', at: '2025-01-15' },
  { user: 'u2', kind: 'nps', score: 2, reason: 'poor support', at: '2025-02-15' },
  { user: 'u3', kind: 'csat', score: 1, reason: 'Poor support', at: '2025-02-16' },
  { user: 'u4', kind: 'csat', score: 5, reason: 'Reliability', at: '2025-03-16' },
  // A neutral score: the reason's list decides (satisfied).
  { user: 'u5', kind: 'nps', score: 8, reason: 'Ease of use', at: '2025-03-17' },
  { user: 'u5', kind: 'ces', score: 7, at: '2025-03-18' },
]

/** The report the events should give, computed directly from the lists above. */
function expectedReasons() {
  const canonical = (r: string) => (r.toLowerCase() === 'price' ? 'Price' : r)
  const month = (d: string) => d.slice(0, 7)
  const latest = new Map<string, Deal>()
  for (const d of DEALS) {
    const prev = latest.get(d.dealId)
    if (!prev || prev.at <= d.at) latest.set(d.dealId, d)
  }
  const cells = new Map<string, { count: number; amount: number | null }>()
  const bump = (key: string, amount: number | null) => {
    const c = cells.get(key) ?? { count: 0, amount: amount === null ? null : 0 }
    c.count++
    if (amount !== null) c.amount! += amount
    cells.set(key, c)
  }
  for (const d of latest.values()) {
    if (!d.reason) continue
    bump(
      `${d.event === 'Deal Won' ? 'won' : 'lost'}|${canonical(d.reason)}||${month(d.at)}`,
      d.amount,
    )
  }
  for (const s of SURVEYS) {
    if (!s.reason) continue
    const good = s.kind === 'nps' ? s.score >= 9 : s.kind === 'csat' ? s.score >= 4 : s.score >= 5
    const poor = s.kind === 'nps' ? s.score <= 6 : s.kind === 'csat' ? s.score <= 2 : s.score <= 3
    const cat = good ? 'satisfied' : poor ? 'churn' : 'satisfied' // "Ease of use" is a satisfied label
    const label = s.reason.toLowerCase() === 'poor support' ? 'Poor support' : s.reason
    bump(`${cat}|${label}|${s.kind}|${month(s.at)}`, null)
  }
  return cells
}

describe.each(BACKENDS)('reports API on %s', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  let secret: Record<string, string>
  const send = (batch: object[]) =>
    t.post('/v1/batch', { batch: batch.map((e) => ({ messageId: mid(), ...e })) }, secret)

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store)
    secret = { authorization: `Bearer ${t.ws.secretKey}` }
  })
  afterAll(() => store.close())

  it('reasons report: counts, amounts and period-over-period change, as JSON and CSV', async () => {
    const batch = [
      ...DEALS.map((d) => ({
        type: 'track',
        userId: d.user,
        event: d.event,
        timestamp: `${d.at}T12:00:00Z`,
        properties: { dealId: d.dealId, amount: d.amount, currency: 'USD', reason: d.reason },
      })),
      ...SURVEYS.map((s) => ({
        type: 'track',
        userId: s.user,
        event: 'Survey Responded',
        timestamp: `${s.at}T12:00:00Z`,
        properties: { kind: s.kind, score: s.score, reason: s.reason },
      })),
    ]
    const res = await send(batch)
    expect(await res.json()).toMatchObject({ accepted: batch.length, rejected: [] })

    const report = await (
      await t.get('/v1/reports/reasons?from=2025-01-01&to=2025-03-31&period=month')
    ).json()
    expect(report.periods).toEqual(['2025-01', '2025-02', '2025-03'])
    const expected = expectedReasons()
    const got = new Map<string, { count: number; amount: number | null }>()
    for (const row of report.rows)
      for (const p of row.periods)
        if (p.count > 0)
          got.set(`${row.category}|${row.reason}|${row.surveyKind ?? ''}|${p.period}`, {
            count: p.count,
            amount: p.amount,
          })
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected))

    // Period-over-period: lost "Price" went from 2 (Jan) to 3 (Feb) to 0 (Mar).
    const price = report.rows.find(
      (r: { category: string; reason: string }) => r.category === 'lost' && r.reason === 'Price',
    )
    const jan = expected.get('lost|Price||2025-01')!.count
    const feb = expected.get('lost|Price||2025-02')!.count
    expect(price.periods[1]).toMatchObject({
      countChange: feb - jan,
      countChangePct: Math.round(((feb - jan) / jan) * 1000) / 10,
    })
    expect(price.periods[2]).toMatchObject({ count: 0, countChange: -feb, countChangePct: -100 })
    expect(price.periods[0].countChange).toBeNull()

    const csv = await t.get('/v1/reports/reasons?from=2025-01-01&to=2025-03-31&format=csv')
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    const lines = (await csv.text()).trim().split('\r\n')
    expect(lines[0]).toBe(
      'category,reason,survey_kind,period,count,amount,currency,count_change,count_change_pct',
    )
    expect(lines).toContain(`lost,Price,,2025-02,${feb},${300 + 250 + 100},,${feb - jan},50`)
    expect(lines.length - 1).toBe(report.rows.length * 3)
  })

  it('refuses a bad period or range with a 400', async () => {
    for (const q of ['period=hour', 'from=2025-13-01', 'from=2025-03-01&to=2025-01-01']) {
      const res = await t.get(`/v1/reports/reasons?${q}`)
      expect(res.status).toBe(400)
      expect((await res.json()).error.code).toBe('bad_request')
    }
  })

  it('campaign report: visitors, contacts, revenue and CTR/CPC/CPA/ROAS over imported costs', async () => {
    const base = Date.UTC(2025, 4, 1, 9)
    const at = (d: number, h = 0) => new Date(base + d * DAY + h * 3_600_000).toISOString()
    const url = (c: string, s: string, m: string) =>
      `https://shop.test/?utm_campaign=${c}&utm_source=${s}&utm_medium=${m}`
    const page = (user: string, d: number, link: string) => ({
      type: 'page',
      userId: user,
      timestamp: at(d),
      context: { page: { url: link } },
    })
    const order = (user: string, d: number, orderId: string, revenue: number) => ({
      type: 'track',
      userId: user,
      event: 'Order Completed',
      timestamp: at(d, 1),
      properties: { orderId, revenue, currency: 'USD' },
    })
    const events = [
      page('c1', 0, url('spring', 'google', 'cpc')),
      order('c1', 1, 'o1', 100),
      { type: 'track', userId: 'c1', event: 'Demo Requested', timestamp: at(1, 2) },
      page('c2', 0, url('spring', 'google', 'cpc')),
      page('c2', 2, url('summer', 'facebook', 'social')),
      order('c2', 3, 'o2', 50),
      page('c3', 1, 'https://shop.test/'),
      order('c3', 1, 'o3', 30),
      page('c4', 2, url('summer', 'facebook', 'social')),
      { type: 'track', userId: 'c4', event: 'Demo Requested', timestamp: at(2, 2) },
      {
        type: 'track',
        userId: 'c4',
        event: 'Deal Won',
        timestamp: at(3),
        properties: { dealId: 'x1', amount: 400, currency: 'USD' },
      },
    ]
    expect((await (await send(events)).json()).rejected).toEqual([])

    // Costs: JSON, then CSV; the second spring/day-0 line replaces the first (idempotent).
    const day = (d: number) => at(d).slice(0, 10)
    const json = await t.app.request('/v1/campaigns/costs', {
      method: 'POST',
      headers: { ...secret, 'content-type': 'application/json' },
      body: JSON.stringify({
        costs: [
          { campaign: 'spring', day: day(0), cost: 100, impressions: 1000, clicks: 50 },
          { campaign: 'spring', date: day(1), cost: 50, impressions: 500, clicks: 25 },
        ],
      }),
    })
    expect(await json.json()).toEqual({ imported: 2 })
    const csvBody = `campaign,day,cost,impressions,clicks,currency\r\nspring,${day(0)},120,1000,60,USD\r\n"summer",${day(2)},80,2000,40,\r\n`
    const csv = await t.app.request('/v1/campaigns/costs', {
      method: 'POST',
      headers: { ...secret, 'content-type': 'text/csv' },
      body: csvBody,
    })
    expect(await csv.json()).toEqual({ imported: 2 })
    // The same import again changes nothing.
    await t.app.request('/v1/campaigns/costs', {
      method: 'POST',
      headers: { ...secret, 'content-type': 'text/csv' },
      body: csvBody,
    })
    const listed = (await (await t.get(`/v1/campaigns/costs?from=${day(0)}&to=${day(5)}`)).json())
      .costs
    expect(listed).toHaveLength(3)

    const cost = {
      spring: { cost: 170, impressions: 1500, clicks: 85 },
      summer: { cost: 80, impressions: 2000, clicks: 40 },
    }
    const range = `from=${day(0)}&to=${day(5)}`
    // First touch: c1 spring, c2 spring, c3 none, c4 summer.
    const first = await (
      await t.get(
        `/v1/reports/campaigns?${range}&attribution=first&conversion=event:Demo%20Requested`,
      )
    ).json()
    const row = (r: { rows: { key: string }[] }, key: string) =>
      r.rows.find((x) => x.key === key) as Record<string, unknown>
    const springRevenue = 100 + 50
    expect(row(first, 'spring')).toMatchObject({
      visitors: 2,
      newContacts: 2,
      revenue: springRevenue,
      conversions: 1,
      cost: cost.spring.cost,
      impressions: cost.spring.impressions,
      clicks: cost.spring.clicks,
      ctr: Math.round((cost.spring.clicks / cost.spring.impressions) * 100 * 100) / 100,
      cpc: Math.round((cost.spring.cost / cost.spring.clicks) * 100) / 100,
      cpa: cost.spring.cost / 1,
      roas: Math.round((springRevenue / cost.spring.cost) * 100) / 100,
    })
    expect(row(first, 'summer')).toMatchObject({
      visitors: 2, // c2 and c4 touched summer in the range
      newContacts: 1,
      dealsWon: 1,
      dealsWonAmount: 400,
      revenue: 400,
      conversions: 1,
      cpa: 80,
      roas: Math.round((400 / 80) * 100) / 100,
    })
    expect(row(first, '(none)')).toMatchObject({ newContacts: 1, revenue: 30, cost: null })
    expect(first.totals).toMatchObject({ revenue: 580, cost: 250, conversions: 2 })

    // Last touch: c2's order (day 3) follows its summer visit (day 2).
    const last = await (
      await t.get(
        `/v1/reports/campaigns?${range}&attribution=last&conversion=event:Demo%20Requested`,
      )
    ).json()
    expect(row(last, 'spring')).toMatchObject({
      revenue: 100,
      roas: Math.round((100 / 170) * 100) / 100,
    })
    expect(row(last, 'summer')).toMatchObject({
      revenue: 450,
      roas: Math.round((450 / 80) * 100) / 100,
    })

    const bySource = await (await t.get(`/v1/reports/campaigns?${range}&groupBy=source`)).json()
    expect(row(bySource, 'google')).toMatchObject({ revenue: 150, cost: null, cpa: null })

    for (const q of ['attribution=middle', 'groupBy=country', 'conversion=hot', 'from=yesterday']) {
      expect((await t.get(`/v1/reports/campaigns?${q}`)).status).toBe(400)
    }
    const badCsv = await t.app.request('/v1/campaigns/costs', {
      method: 'POST',
      headers: { ...secret, 'content-type': 'text/csv' },
      body: 'campaign,day,cost\r\nspring,2025-02-30,-1\r\n',
    })
    expect(badCsv.status).toBe(400)
    const issues = (await badCsv.json()).error.issues
    expect(issues.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(['cost', 'day'])
  })

  it('quality scans: exactly once per period across two processes, history, alert when worse', async () => {
    const other = await store.createWorkspace({ name: 'Other' })
    // A second "process": its own pool on the same database (PGlite serves one connection).
    let second = store
    let pool: postgres.Sql | null = null
    if (backend === 'postgres') {
      const o = store.sql.options
      pool = postgres({
        host: o.host[0],
        port: o.port[0],
        database: o.database,
        user: o.user,
        pass: (o as unknown as { pass?: string }).pass ?? undefined,
        max: 4,
        onnotice: () => {},
      } as never)
      second = createPostgresStore(pool) as TestStore
    }
    const hook = await store.createWebhook(t.ws.id, {
      url: 'http://127.0.0.1:9/hook',
      events: ['alert.fired'],
    })
    const start = Date.UTC(2030, 0, 1)
    let ran = 0
    const ranByWs = new Map<string, number>()
    const scansAt = async (d: number) => {
      const now = new Date(start + d * DAY)
      const [a, b] = await Promise.all([
        store.reports.runDueQualityScans(now),
        second.reports.runDueQualityScans(now),
      ])
      for (const r of [...a, ...b]) {
        ran++
        ranByWs.set(r.workspaceId, (ranByWs.get(r.workspaceId) ?? 0) + 1)
      }
    }
    // Contacts with an e-mail first, so the share of those without one can rise.
    await send(
      Array.from({ length: 30 }, (_, i) => ({
        type: 'identify',
        userId: `full-${i}`,
        traits: { email: `p${i}@example.com`, company: 'Acme' },
      })),
    )
    await scansAt(0)
    // Contacts without an e-mail arrive: missingEmail's share rises far beyond 5 points.
    await send(Array.from({ length: 20 }, (_, i) => ({ type: 'identify', userId: `noemail-${i}` })))
    for (const d of [1, 7, 13.9, 14, 14.5, 20, 27.99, 28, 28.01]) await scansAt(d)
    // Due at day 0, 14 and 28, for both workspaces (and any other in this database).
    expect(ranByWs.get(t.ws.id)).toBe(3)
    expect(ranByWs.get(other.id)).toBe(3)
    expect(ran).toBe(3 * ranByWs.size)

    const history = (await (await t.get('/v1/quality/scans')).json()).scans
    expect(history.map((s: { at: string }) => s.at)).toEqual(
      [0, 14, 28].map((d) => new Date(start + d * DAY).toISOString()),
    )
    // The trend: contacts without e-mail, from the contacts sent by this test file.
    const before = history[0].measures
    const after = history[1].measures
    expect(after.total - before.total).toBe(20)
    expect(after.missingEmail - before.missingEmail).toBe(20)
    const share = (m: { missingEmail: number; total: number }) =>
      Math.round((m.missingEmail / m.total) * 1000) / 10
    expect(share(after) - share(before)).toBeGreaterThan(5)
    expect(history[1].worsened).toContainEqual({
      measure: 'missingEmail',
      before: share(before),
      after: share(after),
      thresholdPoints: 5,
    })
    expect(history[2].worsened).toEqual([])

    const alerts = (await (await t.get('/v1/alerts?kind=quality_worsened')).json()).alerts
    expect(alerts.map((a: { ruleId: string }) => a.ruleId)).toContain('quality-missingEmail')
    expect(alerts.every((a: { contactId: unknown }) => a.contactId === null)).toBe(true)
    const deliveries = await store.listDeliveries(t.ws.id, hook.id, 50)
    expect(
      deliveries.some(
        (d) => (d.payload as { data: { kind: string } }).data.kind === 'quality_worsened',
      ),
    ).toBe(true)

    // Acknowledge: the alert leaves the open list.
    const id = alerts[0].id
    expect((await t.get('/v1/alerts?open=true&kind=quality_worsened')).ok).toBe(true)
    const ack = await t.app.request(`/v1/alerts/${id}/acknowledge`, {
      method: 'POST',
      headers: secret,
    })
    expect(ack.status).toBe(200)
    const open = (await (await t.get('/v1/alerts?open=true&kind=quality_worsened')).json()).alerts
    expect(open.map((a: { id: string }) => a.id)).not.toContain(id)
    expect(
      (await t.app.request('/v1/alerts/999999999/acknowledge', { method: 'POST', headers: secret }))
        .status,
    ).toBe(404)
    await pool?.end()
  })

  it('schedule settings change by PATCH, only the ones sent', async () => {
    const patch = (body: unknown) =>
      t.app.request('/v1/quality/schedule', {
        method: 'PATCH',
        headers: { ...secret, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    expect((await (await t.get('/v1/quality/schedule')).json()).everyDays).toBe(14)
    expect(await (await patch({ thresholds: { missingEmail: 2 } })).json()).toMatchObject({
      everyDays: 14,
      thresholds: { missingEmail: 2 },
    })
    expect(await (await patch({ everyDays: 7 })).json()).toMatchObject({
      everyDays: 7,
      enabled: true,
      thresholds: { missingEmail: 2 },
    })
    for (const bad of [{ everyDays: 0 }, { thresholds: { nope: 1 } }, { colour: 'red' }, [1]]) {
      const res = await patch(bad)
      expect(res.status).toBe(400)
    }
  })
})
