import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AlertRule } from '@lodestone/lifecycle'
import type { CampaignReport, CampaignRow } from '../reports/campaigns.js'
import type { WorkspaceAlert } from '../reports/port.js'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { dashboardClient } from '../test-support/dashboard.js'
import { AlertList } from './pages/alerts.js'
import { CampaignsBody } from './pages/campaigns.js'
import { QualityHistoryBody } from './pages/quality-history.js'
import { SessionsTable } from './pages/team.js'
import { StepChart } from './views/charts.js'
import { fmtFor } from './views/intl.js'

// Issue 18's polish: figures through Intl, times in the workspace's zone and the reader's
// language, contact alerts said from their parts. Server-rendered HTML only.
const html = async (node: unknown) => String(await (node as { toString(): unknown }).toString())

const row = (key: string, over: Partial<CampaignRow> = {}): CampaignRow => ({
  key,
  visitors: 1_234_567,
  newContacts: 4_321,
  grades: { hot: 1_500 },
  dealsWon: 2_000,
  dealsWonAmount: 0,
  revenue: 200_000_000,
  conversions: 12_345,
  cost: 1_234_567.5,
  impressions: 200_000_000,
  clicks: 3_000_000,
  ctr: 1.5,
  cpc: 0.41,
  cpa: 100,
  roas: 162,
  ...over,
})
const report = (): CampaignReport => ({
  from: '2026-03-01',
  to: '2026-03-31',
  attribution: 'first',
  groupBy: 'campaign',
  conversion: null,
  currency: null,
  grades: ['hot'],
  rows: [row('spring_sale'), row('(none)', { cost: null, impressions: null, clicks: null })],
  totals: row('total'),
  unconverted: { sales: 0, costs: 0 },
})
const form = {
  from: '2026-03-01',
  to: '2026-03-31',
  attribution: 'first',
  groupBy: 'campaign',
  conversion: '',
}
const campaigns = (locale: 'en' | 'zh-CN') =>
  html(CampaignsBody({ locale, form, report: report(), csrf: 'x' }))

describe('campaign figures', () => {
  it('groups thousands in every column and says the row without a campaign in English', async () => {
    const en = await campaigns('en')
    expect(en).toContain('data-col="impressions">200,000,000<')
    expect(en).toContain('data-col="visitors">1,234,567<')
    expect(en).toContain('data-col="grade:hot">1,500<')
    expect(en).toContain('data-col="cost">1,234,567.5<')
    // no text a person reads shows an ungrouped figure (SVG geometry may have long decimals)
    expect(en).not.toMatch(/>[^<]*\d{4}[^<]*</)
    expect(en).toContain('<td>(none)</td>')
    expect(en).toContain('<th>Campaign</th>')
  })

  it('does the same in Chinese: Intl grouping and a translated "none" row', async () => {
    const zh = await campaigns('zh-CN')
    expect(zh).toContain('data-col="impressions">200,000,000<')
    expect(zh).toContain('<td>（无）</td>')
    expect(zh).not.toContain('<td>(none)</td>')
    expect(zh).toContain('<th>活动</th>')
  })

  it("tops the revenue chart's axis in the reader's short form (200M, 2亿)", async () => {
    const tick = /class="tick" text-anchor="end">([^<]+)</
    expect(tick.exec(await campaigns('en'))?.[1]).toBe('200M')
    expect(tick.exec(await campaigns('zh-CN'))?.[1]).toBe('2亿')
  })
})

const at = '2026-12-02T04:40:00.000Z' // 12:40 in Shanghai
const rules: AlertRule[] = [
  { id: 'low-csat', kind: 'satisfaction_below', metric: 'csat', threshold: 3 },
  { id: 'tickets', kind: 'tickets_within', count: 3, windowDays: 7 },
]
const alert = (over: Partial<WorkspaceAlert>): WorkspaceAlert => ({
  id: '1',
  ruleId: 'low-csat',
  kind: 'satisfaction_below',
  name: 'Unhappy',
  at,
  value: 1,
  message: 'CSAT 1 is below 3',
  contactId: null,
  acknowledgedAt: null,
  ...over,
})

describe('times and alerts in the reader language and the workspace zone', () => {
  const zh = fmtFor('zh-CN', 'Asia/Shanghai')
  const en = fmtFor('en', 'Asia/Shanghai')
  const list = (f: typeof zh, alerts: WorkspaceAlert[]) =>
    html(
      AlertList({ locale: f.locale, f, alerts, rules, labels: {}, csrf: 'x', back: '/app/alerts' }),
    )

  it('says a contact alert from its rule and value, in Chinese and in English', async () => {
    const a = [
      alert({}),
      alert({
        id: '2',
        ruleId: 'tickets',
        kind: 'tickets_within',
        value: 4,
        message: '4 tickets within 7 days',
      }),
    ]
    const z = await list(zh, a)
    expect(z).toContain('CSAT 为 1，低于 3')
    expect(z).toContain('7 天内提交了 4 个工单')
    expect(z).not.toContain('is below')
    const e = await list(en, a)
    expect(e).toContain('CSAT 1 is below 3')
    expect(e).toContain('4 tickets within 7 days')
  })

  it('shows the stored message when the parts cannot be trusted (old rows, edited or deleted rules)', async () => {
    const z = await list(zh, [
      alert({ message: 'CSAT 1 is below 2' }), // the rule's threshold was changed since
      alert({ id: '3', ruleId: 'gone', message: 'Churn risk 90 is above 80' }),
    ])
    expect(z).toContain('CSAT 1 is below 2')
    expect(z).toContain('Churn risk 90 is above 80')
  })

  it('shows alert, scan and session times in the workspace zone; datetime= stays ISO', async () => {
    const z = await list(zh, [alert({ acknowledgedAt: at })])
    // Table and list dates are short (views/when.tsx), their full form in the title.
    const when = (f: typeof zh, iso: string) =>
      `<time datetime="${iso}" title="${f.full(iso)}">${f.short(iso)}</time>`
    expect(z).toContain(when(zh, at))
    expect(zh.full(at)).toContain('12:40')
    expect(zh.full(at)).toContain('2026年12月2日')
    expect(zh.full(at)).toContain('GMT+8')
    expect(z).not.toContain('2026-12-02 04:40')

    const scans = await html(
      QualityHistoryBody({
        locale: 'zh-CN',
        f: zh,
        csrf: 'x',
        schedule: { everyDays: 7, enabled: true, thresholds: {}, nextRunAt: at },
        scans: [
          {
            id: 's1',
            at,
            trigger: 'manual',
            measures: { total: 0 } as never,
            worsened: [],
          },
        ],
      }),
    )
    expect(scans).toContain(when(zh, at))
    expect(scans).not.toContain('2026-12-02 04:40')

    const sessions = await html(
      SessionsTable({
        locale: 'en',
        f: en,
        csrf: 'x',
        action: (id) => `/x/${id}`,
        sessions: [
          {
            id: 'a',
            userAgent: 'Firefox',
            ip: '127.0.0.1',
            createdAt: at,
            lastUsedAt: at,
            expiresAt: at,
          } as never,
        ],
      }),
    )
    expect(sessions).toContain(when(en, at))
    expect(sessions).toContain('Dec 2, 2026, 12:40 GMT+8')
    expect(sessions).not.toContain('2026-12-02 04:40')
  })
})

describe('chart axis dates', () => {
  it('labels the time axis in the workspace zone and the reader language', async () => {
    const zh = fmtFor('zh-CN', 'Asia/Shanghai')
    // 20:00 UTC on 1 March is already 2 March in Shanghai
    const t0 = Date.parse('2026-03-01T20:00:00Z')
    const t1 = Date.parse('2026-03-20T20:00:00Z')
    const points = [
      { at: t0, value: 1, title: 'a' },
      { at: t1, value: 5, title: 'b' },
    ]
    const svg = await html(StepChart({ f: zh, points, label: 'x', empty: '-' }))
    expect(svg).toContain(`>${zh.date(t0)}</text>`)
    expect(zh.date(t0)).toBe('2026年3月2日')
    expect(svg).not.toContain('2026-03-01')
  })
})

describe('audit page through the app', () => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  beforeAll(async () => {
    store = await openTestStore('pglite')
    t = await createTestApp(store)
  })
  afterAll(() => store.close())

  it('lists audit and API key times in Asia/Shanghai for a Chinese reader once the workspace zone is set', async () => {
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const ok = await c.post('/app/settings', { _csrf: await c.csrf(), timeZone: 'Asia/Shanghai' })
    expect(ok.status).toBe(303)
    await c.get('/app/lang?to=zh-CN&next=%2Fapp')
    const page = await (await c.get('/app/audit')).text()
    const [, iso, title] = /<time datetime="([^"]+)" title="([^"]+)">/.exec(page) ?? []
    expect(iso).toBeTruthy()
    // The title: the full date and time in Shanghai, its zone said (GMT+8).
    const shown = new Intl.DateTimeFormat('zh-CN', {
      dateStyle: 'medium',
      timeZone: 'Asia/Shanghai',
    }).format(new Date(iso!))
    expect(title).toContain(shown)
    expect(title).toContain('GMT+8')
    const zh = fmtFor('zh-CN', 'Asia/Shanghai')
    expect(page).toContain(`<time datetime="${iso}" title="${title}">${zh.short(iso)}</time>`)
    expect(page).toContain('<html lang="zh-CN">')

    const made = await c.post('/app/keys', { _csrf: await c.csrf(), name: 'CRM', scopes: 'read' })
    expect(made.status).toBe(200)
    const keys = await made.text()
    const [, created] = /<time datetime="([^"]+)"/.exec(keys) ?? []
    expect(created).toBeTruthy()
    expect(keys).toContain(
      `<time datetime="${created}" title="${zh.full(created)}">${zh.short(created)}</time>`,
    )
  })
})
