import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { dashboardClient } from '../test-support/dashboard.js'

// The Quality and KPIs pages, driven like a browser over data ingested through the API.
const NOW = new Date('2025-04-16T10:00:00.000Z')
const XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
const XSS_TEXT =
  '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;'
let n = 0
const mid = () => `lp-${++n}-${Math.random().toString(36).slice(2)}`
const identify = (userId: string, traits: object) => ({
  type: 'identify',
  messageId: mid(),
  userId,
  timestamp: '2025-04-01T00:00:00Z',
  traits,
})
const track = (userId: string, event: string, timestamp: string, properties: object) => ({
  type: 'track',
  messageId: mid(),
  userId,
  event,
  timestamp,
  properties,
})
const survey = (userId: string, at: string, kind: string, score: number) =>
  track(userId, 'Survey Responded', at, { kind, score })
const order = (userId: string, at: string, orderId: string) =>
  track(userId, 'Order Completed', at, { orderId, revenue: 100, currency: 'EUR' })

/** The cells of the table row whose first cell is `first`, as text. */
function row(html: string, first: string): string[] {
  const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((c) => c[1]!),
  )
  const found = rows.find((cells) => cells[0] === first)
  if (!found) throw new Error(`no row ${first}`)
  return found
}

describe.each(BACKENDS)('dashboard Quality and KPIs pages (%s)', (backend) => {
  let store: TestStore
  let quality: Awaited<ReturnType<typeof createTestApp>>
  let kpis: Awaited<ReturnType<typeof createTestApp>>
  const idOf = async (userId: string) =>
    ((await (await quality.get(`/v1/contacts/lookup?userId=${userId}`)).json()) as { id: string })
      .id
  const signedIn = async (t: typeof quality) => {
    const c = dashboardClient(t.app)
    expect((await c.signIn(t.ws.secretKey)).status).toBe(303)
    return c
  }

  beforeAll(async () => {
    store = await openTestStore(backend)
    // Two workspaces, so the KPI customers (who have no e-mail) do not count in the report.
    quality = await createTestApp(store, () => NOW)
    kpis = await createTestApp(store, () => NOW)
    const q = await quality.post('/v1/batch', {
      batch: [
        identify('ana', { name: 'Ana Lopez', company: 'Acme Inc', email: 'ana@acme.io' }),
        identify('ana-2', { name: 'ana lópez', company: 'ACME', email: 'ana.l@acme.io' }),
        identify('no-mail', { name: 'Nomail Person', company: 'Beta' }),
        identify('no-company', { name: 'Nocompany Person', email: 'nc@gamma.io' }),
        identify('evil', { name: XSS, company: 'Delta', email: XSS }),
        identify('throwaway', { name: 'Temp User', company: 'Eps', email: 'tu@mailinator.com' }),
      ],
    })
    expect(q.status).toBe(200)
    expect((await q.json()).accepted).toBe(6)

    // March: NPS 10, 9, 3 and orders by c1 and c2. April: NPS 10, CSAT 5 and 2, CES 6 and 7,
    // an order by c1 only (retention 1 of 2).
    const secret = { authorization: `Basic ${btoa(`${kpis.ws.secretKey}:`)}` }
    const k = await kpis.post(
      '/v1/batch',
      {
        batch: [
          survey('c1', '2025-03-03T10:00:00Z', 'nps', 10),
          survey('c2', '2025-03-04T10:00:00Z', 'nps', 9),
          survey('c3', '2025-03-05T10:00:00Z', 'nps', 3),
          order('c1', '2025-03-06T10:00:00Z', 'O-1'),
          order('c2', '2025-03-07T10:00:00Z', 'O-2'),
          survey('c1', '2025-04-02T10:00:00Z', 'nps', 10),
          survey('c1', '2025-04-03T10:00:00Z', 'csat', 5),
          survey('c2', '2025-04-04T10:00:00Z', 'csat', 2),
          survey('c2', '2025-04-05T10:00:00Z', 'ces', 6),
          survey('c3', '2025-04-06T10:00:00Z', 'ces', 7),
          order('c1', '2025-04-07T10:00:00Z', 'O-3'),
        ],
      },
      secret,
    )
    expect(k.status).toBe(200)
    expect(await k.json()).toMatchObject({ accepted: 11, rejected: [] })
  })
  afterAll(() => store.close())

  it('sends both pages to sign-in without a session', async () => {
    const c = dashboardClient(quality.app)
    const res = await c.get('/app/quality')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/app/login?next=%2Fapp%2Fquality')
    const k = await c.get('/app/kpis?period=week')
    expect(k.status).toBe(303)
    expect(k.headers.get('location')).toBe('/app/login?next=%2Fapp%2Fkpis%3Fperiod%3Dweek')
  })

  it('shows the data-quality counts and links every finding to its contact', async () => {
    const c = await signedIn(quality)
    const res = await c.get('/app/quality')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('href="/app/quality" class="on"')
    expect(row(html, 'Contacts')[1]).toBe('6')
    expect(row(html, 'Complete (e-mail, company, no issue)').slice(1)).toEqual(['2', '33.3%'])
    expect(row(html, 'Missing e-mail')[1]).toBe('1')
    expect(row(html, 'Missing company')[1]).toBe('1')
    expect(row(html, 'With invalid values')[1]).toBe('2')
    expect(row(html, 'With a disposable e-mail domain')[1]).toBe('1')
    expect(row(html, 'Suspected duplicate groups')[1]).toBe('1')
    expect(row(html, 'Contacts in suspected duplicates')[1]).toBe('2')

    // the same figures as the read API
    const api = await (await quality.get('/v1/quality')).json()
    expect(api).toMatchObject({ total: 6, complete: 2 })
    expect(api.duplicates).toHaveLength(1)

    const [ana, ana2, noMail, noCompany, evil, throwaway] = await Promise.all(
      ['ana', 'ana-2', 'no-mail', 'no-company', 'evil', 'throwaway'].map(idOf),
    )
    expect(html).toContain(`<a href="/app/contacts/${noMail}">Nomail Person</a>`)
    expect(html).toContain(`<a href="/app/contacts/${noCompany}">Nocompany Person</a>`)
    expect(html).toContain(`<a href="/app/contacts/${throwaway}">Temp User</a>`)
    expect(html).toContain('tu@mailinator.com')
    const dup = row(html, 'acme')[1]!
    expect(dup).toContain(`/app/contacts/${ana}"`)
    expect(dup).toContain(`/app/contacts/${ana2}"`)
    expect(html).toContain(`/app/contacts/${evil}"`)
    // a complete contact is not listed
    expect(html.match(new RegExp(ana!, 'g'))).toHaveLength(1)
  })

  it('renders an XSS payload in a trait as text on the quality page', async () => {
    const c = await signedIn(quality)
    const html = await (await c.get('/app/quality')).text()
    // as the name (the link label) and as the invalid e-mail value
    expect(html.split(XSS_TEXT).length - 1).toBeGreaterThanOrEqual(2)
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<script>alert')
  })

  it('shows NPS, CSAT, CES and retention per month from the ingested events', async () => {
    const c = await signedIn(kpis)
    const res = await c.get('/app/kpis?period=month&from=2025-02-01&to=2025-04-30')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('href="/app/kpis" class="on"')
    expect(html).toContain('<option value="month" selected="">')
    // period, NPS, CSAT, CES, responses, customers, retained, retention
    expect(row(html, '2025-02')).toEqual(['2025-02', '–', '–', '–', '0', '0', '0', '–'])
    expect(row(html, '2025-03')).toEqual(['2025-03', '33.3', '–', '–', '3', '2', '0', '–'])
    expect(row(html, '2025-04')).toEqual(['2025-04', '100', '50%', '6.5', '5', '1', '1', '50%'])
    // overall: promoters 3 of 4 responses, one detractor
    expect(html).toContain('<h2>NPS</h2><p><strong>50</strong></p>')
    expect(html).toContain('<h2>CSAT</h2><p><strong>50%</strong></p>')
    expect(html).toContain('<h2>CES</h2><p><strong>6.5</strong></p>')
    expect(html.match(/<svg class="chart"/g)?.length).toBe(4)
    expect(html).toContain('<title>2025-04: NPS 100 (1 responses)</title>')

    // the same figures as the read API
    const api = await (
      await kpis.get('/v1/kpis?period=month&from=2025-02-01T00:00:00Z&to=2025-04-30T23:59:59Z')
    ).json()
    expect(api.overall.nps.score).toBe(50)
    expect(api.retention.map((p: { rate: number | null }) => p.rate)).toEqual([null, null, 0.5])
  })

  it('changes the period with the selector and defaults to the last year by month', async () => {
    const c = await signedIn(kpis)
    const q = await (await c.get('/app/kpis?period=quarter&from=2025-01-01&to=2025-06-30')).text()
    expect(row(q, '2025-Q1').slice(0, 5)).toEqual(['2025-Q1', '33.3', '–', '–', '3'])
    expect(row(q, '2025-Q2')).toEqual(['2025-Q2', '100', '50%', '6.5', '5', '1', '1', '50%'])
    const d = await (await c.get('/app/kpis')).text()
    expect(d).toContain('<option value="month" selected="">')
    expect(d).toContain('name="from" value="2024-04-16"')
    expect(d).toContain('name="to" value="2025-04-16"')
    expect(row(d, '2025-04')[1]).toBe('100')
  })

  it('answers a bad period or range with a 400 page, escaping what was sent', async () => {
    const c = await signedIn(kpis)
    const bad = await c.get(`/app/kpis?period=${encodeURIComponent(XSS)}`)
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toContain('Period must be one of day, week, month, quarter, year.')
    expect(html).toContain('<form class="filters"')
    expect(html).not.toContain('<img src=x')
    for (const query of [
      'from=2025-02-30',
      'from=yesterday',
      'from=2025-05-01&to=2025-04-01',
      `to=${encodeURIComponent(XSS)}`,
      'period=day&from=2000-01-01&to=2025-01-01', // more periods than one query may ask for
    ]) {
      const res = await c.get(`/app/kpis?${query}`)
      expect(res.status, query).toBe(400)
      const text = await res.text()
      expect(text, query).toContain('class="error"')
      expect(text, query).not.toContain('<img src=x')
      expect(text, query).not.toContain('<svg class="chart"')
    }
  })
})
