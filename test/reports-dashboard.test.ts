// Reports end to end: Segment's own Node library (@segment/analytics-node) sends lifecycle and
// page events to a real collector, ad cost is imported through the API, and a marketer reads
// the Reasons, Campaigns, Quality history and Alerts pages in real Chromium. Every figure the
// pages show is compared with one computed here from the events sent, and with the API.
// Screenshots of each page go to docs/ (docs/dashboard.md shows them).
import { fileURLToPath } from 'node:url'
import { type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSender } from '../examples/server/src/sender.js'
import { launchChromium } from './support/chromium.js'
import { startCollector } from './support/collector.js'
import { signInAsOwner } from './support/dashboard-owner.js'

const docs = fileURLToPath(new URL('../docs/', import.meta.url))
const DAY = 86_400_000

let collector: Awaited<ReturnType<typeof startCollector>>
let browser: Browser
let page: Page

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${collector.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${collector.secretKey}`,
      'content-type': 'application/json',
      ...(init.headers as Record<string, string>),
    },
  })

// Deals and surveys: [user, event, id, amount, reason, day].
const DEALS: [string, 'Deal Won' | 'Deal Lost', string, number, string, string][] = [
  ['ana', 'Deal Lost', 'D1', 800, 'Price', '2026-01-12'],
  ['ben', 'Deal Lost', 'D2', 1200, 'Price', '2026-02-03'],
  ['cai', 'Deal Lost', 'D3', 400, 'Price', '2026-02-17'],
  ['dan', 'Deal Lost', 'D4', 900, 'Chose a competitor', '2026-02-20'],
  ['eve', 'Deal Won', 'D5', 3000, 'Product fit', '2026-01-25'],
  ['fay', 'Deal Won', 'D6', 1500, 'Product fit', '2026-02-08'],
  ['gus', 'Deal Won', 'D7', 700, 'Referral', '2026-02-09'],
]
const SURVEYS: [string, 'nps' | 'csat', number, string, string][] = [
  ['ana', 'nps', 2, 'Poor support', '2026-01-20'],
  ['ben', 'nps', 4, 'Poor support', '2026-02-21'],
  ['cai', 'csat', 5, 'Ease of use', '2026-02-22'],
]

const CAMPAIGN_DAY = Date.UTC(2026, 2, 2, 10) // 2026-03-02
const COSTS = [
  { campaign: 'spring_sale', day: '2026-03-02', cost: 300, impressions: 12000, clicks: 240 },
  { campaign: 'spring_sale', day: '2026-03-03', cost: 200, impressions: 8000, clicks: 160 },
  { campaign: 'webinar_ads', day: '2026-03-02', cost: 150, impressions: 9000, clicks: 90 },
]
// Who came from which campaign, and what they bought.
const BUYERS: [string, string, number][] = [
  ['p1', 'spring_sale', 400],
  ['p2', 'spring_sale', 250],
  ['p3', 'spring_sale', 0],
  ['p4', 'webinar_ads', 600],
  ['p5', 'webinar_ads', 0],
]

beforeAll(async () => {
  collector = await startCollector()
  const analytics = createSender({ host: collector.url, secretKey: collector.secretKey })
  for (const [userId, event, dealId, amount, reason, day] of DEALS)
    analytics.track({
      userId,
      event,
      timestamp: new Date(`${day}T12:00:00Z`),
      properties: { dealId, amount, currency: 'USD', reason },
    })
  for (const [userId, kind, score, reason, day] of SURVEYS)
    analytics.track({
      userId,
      event: 'Survey Responded',
      timestamp: new Date(`${day}T12:00:00Z`),
      properties: { kind, score, reason },
    })
  for (const [userId, campaign, revenue] of BUYERS) {
    const url = `https://shop.example/?utm_campaign=${campaign}&utm_source=${campaign === 'spring_sale' ? 'google' : 'linkedin'}&utm_medium=cpc`
    analytics.page({
      userId,
      name: 'Landing',
      timestamp: new Date(CAMPAIGN_DAY),
      properties: { url },
      context: { page: { url } } as never,
    })
    analytics.identify({
      userId,
      traits: { email: `${userId}@example.com`, company: 'Acme' } as never,
    })
    if (revenue)
      analytics.track({
        userId,
        event: 'Order Completed',
        timestamp: new Date(CAMPAIGN_DAY + DAY),
        properties: { orderId: `O-${userId}`, revenue, currency: 'USD' },
      })
  }
  // An unhappy customer: fires the default csat-low alert.
  analytics.track({
    userId: 'p4',
    event: 'Survey Responded',
    properties: { kind: 'csat', score: 1, reason: 'Poor support' },
  })
  await analytics.closeAndFlush()
  expect(
    (await api('/v1/campaigns/costs', { method: 'POST', body: JSON.stringify({ costs: COSTS }) }))
      .status,
  ).toBe(200)

  // A first scan, then contacts without e-mail arrive, then a second scan: quality worsened.
  expect((await api('/v1/quality/scans', { method: 'POST' })).status).toBe(201)
  const more = createSender({ host: collector.url, secretKey: collector.secretKey })
  for (let i = 0; i < 12; i++)
    more.identify({ userId: `lead-${i}`, traits: { company: 'Initech' } as never })
  await more.closeAndFlush()
  expect((await api('/v1/quality/scans', { method: 'POST' })).status).toBe(201)

  browser = await launchChromium()
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  page = await ctx.newPage()
  await signInAsOwner(page, collector)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await collector?.stop()
})

const cells = (sel: string) => page.locator(sel).allInnerTexts()

describe('reports dashboard in Chromium', () => {
  it('Reasons: the counts and amounts the events give, per reason, like the API', async () => {
    const expected = new Map<string, { count: number; amount: number }>()
    for (const [, event, , amount, reason] of DEALS) {
      const key = `${event === 'Deal Won' ? 'won' : 'lost'}|${reason}`
      const e = expected.get(key) ?? { count: 0, amount: 0 }
      expected.set(key, { count: e.count + 1, amount: e.amount + amount })
    }
    const q = 'from=2026-01-01&to=2026-02-28&period=month'
    await page.goto(`${collector.url}/app/reasons?${q}`)
    for (const [key, e] of expected) {
      const [category, reason] = key.split('|')
      const row = page.locator(`[data-category=${category}] tr[data-reason="${reason}"]`)
      expect(await row.locator('td.count').innerText()).toBe(String(e.count))
      // grouped through Intl in the reader's language: `2,400`
      expect(await row.locator('td.amount').innerText()).toBe(e.amount.toLocaleString('en'))
    }
    // Price: 1 in January, 2 in February → +1 (+100 %).
    const price = page.locator('[data-category=lost] tr[data-reason="Price"] td').last()
    expect(await price.innerText()).toBe('+1 (+100 %)')
    const churn = page.locator('[data-category=churn] tr[data-reason="Poor support"]')
    expect(await churn.locator('td.count').innerText()).toBe('2')
    const report = await (await api(`/v1/reports/reasons?${q}`)).json()
    const lostPrice = report.rows.find(
      (r: { category: string; reason: string }) => r.category === 'lost' && r.reason === 'Price',
    )
    expect(lostPrice.total).toEqual(expected.get('lost|Price'))
    await page.screenshot({ path: `${docs}reports-reasons.png`, fullPage: true })
  })

  it('Campaigns: CTR, CPC, CPA and ROAS from the imported cost and the revenue sent', async () => {
    await page.goto(
      `${collector.url}/app/campaigns?from=2026-03-01&to=2026-03-31&conversion=${encodeURIComponent('event:Order Completed')}`,
    )
    for (const name of ['spring_sale', 'webinar_ads']) {
      const costs = COSTS.filter((c) => c.campaign === name)
      const cost = costs.reduce((s, c) => s + c.cost, 0)
      const impressions = costs.reduce((s, c) => s + c.impressions, 0)
      const clicks = costs.reduce((s, c) => s + c.clicks, 0)
      const buyers = BUYERS.filter(([, c]) => c === name)
      const revenue = buyers.reduce((s, [, , r]) => s + r, 0)
      const orders = buyers.filter(([, , r]) => r > 0).length
      // the page groups thousands through Intl in the reader's language (docs/dashboard.md)
      const r2 = (v: number) => new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(v)
      const row = page.locator(`#campaigns tr[data-key="${name}"]`)
      const col = (c: string) => row.locator(`td[data-col="${c}"]`).innerText()
      expect(await col('visitors')).toBe(buyers.length.toLocaleString('en'))
      expect(await col('revenue')).toBe(r2(revenue))
      expect(await col('cost')).toBe(r2(cost))
      expect(await col('ctr')).toBe(`${r2((clicks / impressions) * 100)} %`)
      expect(await col('cpc')).toBe(r2(cost / clicks))
      expect(await col('cpa')).toBe(r2(cost / orders))
      expect(await col('roas')).toBe(r2(revenue / cost))
    }
    const apiReport = await (
      await api(
        '/v1/reports/campaigns?from=2026-03-01&to=2026-03-31&conversion=event:Order%20Completed',
      )
    ).json()
    const spring = apiReport.rows.find((r: { key: string }) => r.key === 'spring_sale')
    expect(
      await page.locator('#campaigns tr[data-key="spring_sale"] td[data-col="roas"]').innerText(),
    ).toBe(new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(spring.roas))
    await page.screenshot({ path: `${docs}reports-campaigns.png`, fullPage: true })
  })

  it('Quality history: the trend of both scans, the worsened measure, the banner', async () => {
    await page.goto(`${collector.url}/app/quality/history`)
    const scans = (await (await api('/v1/quality/scans')).json()).scans
    expect(scans).toHaveLength(2)
    // Independently: the second scan saw 12 more contacts, all without an e-mail.
    expect(scans[1].measures.total - scans[0].measures.total).toBe(12)
    expect(scans[1].measures.missingEmail - scans[0].measures.missingEmail).toBe(12)
    const rows = await cells('#scans tbody tr td[data-measure="missingEmail"]')
    expect(rows.map((r) => Number(r.split(' ')[0]))).toEqual([
      scans[1].measures.missingEmail,
      scans[0].measures.missingEmail,
    ])
    // The measure by its name, not its key.
    expect(await page.locator('#quality-banner').innerText()).toMatch(
      /Missing e-mail: from [\d.]+ % to [\d.]+ % of contacts/,
    )
    await page.screenshot({ path: `${docs}reports-quality-history.png`, fullPage: true })
  })

  it('Alerts: listed by kind, acknowledged, on the Live page and the profile', async () => {
    await page.goto(`${collector.url}/app/alerts`)
    const kinds = await page
      .locator('table.alerts tr[data-kind]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')))
    expect(kinds).toContain('satisfaction_below')
    expect(kinds).toContain('quality_worsened')
    await page.screenshot({ path: `${docs}reports-alerts.png`, fullPage: true })

    await page.goto(`${collector.url}/app/live`)
    expect(await page.locator('#open-alerts').innerText()).toContain('CSAT 1 is below 3')
    await page.screenshot({ path: `${docs}reports-live-alerts.png` })

    await page.goto(`${collector.url}/app/alerts?kind=satisfaction_below`)
    await page.locator('tr[data-kind=satisfaction_below] a').first().click()
    await page.waitForURL('**/app/contacts/**')
    expect(await page.locator('main').innerText()).toContain('CSAT 1 is below 3')

    await page.goto(`${collector.url}/app/alerts?kind=quality_worsened`)
    const before = await page.locator('tr[data-kind=quality_worsened]').count()
    await page.locator('tr[data-kind=quality_worsened] button').first().click()
    await page.waitForURL('**/app/alerts?kind=quality_worsened')
    expect(await page.locator('tr[data-kind=quality_worsened]').count()).toBe(before - 1)
  })

  it('in Simplified Chinese', async () => {
    await page.goto(
      `${collector.url}/app/lang?to=zh-CN&next=${encodeURIComponent('/app/campaigns?from=2026-03-01&to=2026-03-31')}`,
    )
    expect(await page.locator('h1').innerText()).toBe('营销活动')
    await page.screenshot({ path: `${docs}reports-campaigns-zh.png`, fullPage: true })
    await page.goto(`${collector.url}/app/lang?to=en&next=/app`)
  })
})
