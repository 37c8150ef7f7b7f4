// The dashboard as a marketer uses it, in real Chromium, in English and Simplified Chinese, at
// desktop (1280 px) and phone (390 px) widths: onboarding turns green when the first event
// arrives; a rule built only with the form changes the expected scores, and the preview's
// counts equal what saving produces; filters and sorting agree with the API; the profile shows
// formatted values; every page is axe-core clean (no serious or critical violation) and never
// wider than the viewport, its tables never squeezed to a character per line, its navigation
// never cut off; default grades read in the reader's language. Navigation, the empty workspace
// and the language switcher: dashboard-shell.test.ts.
// With UPDATE_DOCS_SCREENSHOTS=1 it also writes the screenshots of docs/dashboard.md.
import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './support/chromium.js'
import { startCollector } from './support/collector.js'
import { signInAsOwner } from './support/dashboard-owner.js'
import {
  axeViolations,
  DASHBOARD_PAGES,
  liveActivity,
  cutOffNav,
  LOCALES,
  marketers,
  PHONE_SHOTS,
  pageWidth,
  SCREENSHOTS,
  SHOOT,
  shot,
  squeezedCells,
  WIDTHS,
} from './support/dashboard-ui.js'

let collector: Awaited<ReturnType<typeof startCollector>>
let browser: Browser
let writeKey = ''
let marketer: (locale: string, width: number) => ReturnType<ReturnType<typeof marketers>>

beforeAll(async () => {
  collector = await startCollector()
  browser = await launchChromium()
  const signedIn = marketers(browser)
  marketer = (locale, width) => signedIn(locale, width, collector)
  if (SHOOT) mkdirSync(SCREENSHOTS, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  await collector?.stop()
})

async function send(path: string, body: unknown, server = false) {
  const res = await fetch(`${collector.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      // Orders are server-side events: the secret key sends them.
      authorization: server ? `Bearer ${collector.secretKey}` : `Basic ${btoa(`${writeKey}:`)}`,
    },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(200)
  expect((await res.json()).rejected ?? []).toEqual([])
}

const people = Array.from({ length: 24 }, (_, i) => ({
  userId: `u${i}`,
  name: i % 3 === 0 ? `张伟${i}` : `Person ${i}`,
  email: `person${i}@example.com`,
  company: i % 2 ? 'Northwind' : '北方贸易',
  employees: i % 4 === 0 ? 800 : 20,
}))

describe('dashboard UI in Chromium', () => {
  it('onboarding: the first-event check turns green when an event arrives', async () => {
    const ctx = await marketer('en', 1280)
    const page = await ctx.newPage()
    await page.goto(`${collector.url}/app/setup`)
    expect(await page.locator('#first-event').getAttribute('data-received')).toBe('false')
    expect(await page.locator('#first-event').innerText()).toContain('Waiting for your first event')
    // Empty states say what to do next.
    await page.goto(`${collector.url}/app/contacts`)
    expect(await page.locator('#empty-state').innerText()).toContain('Set up tracking')
    // A write key for the snippets (the workspace's key is stored only as a hash).
    await page.goto(`${collector.url}/app/setup`)
    await page.check('input[name=confirm]')
    await page.click('#issue-key')
    await page.waitForURL('**/app/setup')
    writeKey = (await page.locator('#write-key').innerText()).trim()
    expect(writeKey).toMatch(/^wk_/)
    expect(await page.locator('#snippet-tag').innerText()).toContain(
      `data-write-key="${writeKey}" data-host="${collector.url}"`,
    )
    expect(await page.locator('#snippet-server').innerText()).toContain(`${collector.url}/v1/track`)
    // The page polls; an event sent with the shown key turns the check green without a reload.
    const url = page.url()
    await send('/v1/track', { userId: 'first', event: 'Hello' })
    await page.locator('#first-event[data-received="true"]').waitFor({ timeout: 15_000 })
    expect(await page.locator('#first-event').innerText()).toContain('First event received')
    expect(page.url()).toBe(url)
    await ctx.close()

    // The data the other tests read, sent with the key from the Setup page.
    const day = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString()
    const batch: unknown[] = []
    const orders: unknown[] = []
    people.forEach((p, i) => {
      batch.push({
        type: 'identify',
        userId: p.userId,
        timestamp: day(40 - i),
        traits: { name: p.name, email: p.email, company: p.company, employees: p.employees },
      })
      batch.push({
        type: 'page',
        userId: p.userId,
        timestamp: day(30 - i),
        properties: { url: `https://shop.example/pricing?i=${i}`, path: '/pricing' },
      })
      if (i % 4 === 1)
        batch.push({ type: 'track', userId: p.userId, event: 'Video Watched', timestamp: day(2) })
      if (i % 5 === 0)
        orders.push({
          type: 'track',
          userId: p.userId,
          event: 'Order Completed',
          timestamp: day(20),
          properties: { orderId: `o${i}`, revenue: 40_000_000, currency: 'CNY' },
        })
    })
    await send('/v1/batch', { batch })
    await send('/v1/batch', { batch: orders }, true)
    // A list, for the contacts list's segment-or-list filter.
    const admin = (path: string, body: unknown) =>
      fetch(`${collector.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${collector.secretKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      })
    const list = await admin('/v1/lists', { name: 'Trade fair 2026' })
    expect(list.status).toBe(201)
    const listId = ((await list.json()) as { id: string }).id
    const added = await admin(`/v1/lists/${listId}/members`, {
      emails: people.slice(0, 6).map((p) => p.email),
    })
    expect(added.status).toBe(200)
  })

  it('a rule built only with the form changes the expected scores; the preview equals the save', async () => {
    const ctx = await marketer('en', 1280)
    const page = await ctx.newPage()
    await page.goto(`${collector.url}/app/rules`)
    await page.click('#add-engagement')
    const rule = page.locator('.rule').last()
    await rule.locator('input[name$=".name"]').fill('Watched the demo video')
    await rule.locator('input[name$=".id"]').fill('demo-video')
    await rule.locator('input[name$=".points"]').fill('60')
    await rule.locator('select[name$=".type"]').selectOption('track')
    // The event picker offers names seen in this workspace.
    const options = await page
      .locator('#seen-events option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))
    expect(options).toContain('Video Watched')
    await rule.locator('input[name$=".event"]').fill('Video Watched')
    await page.click('#preview')
    await page.locator('#preview-result').waitFor()
    const changed = Number(await page.locator('#preview-result').getAttribute('data-changed'))
    const after = Object.fromEntries(
      await page
        .locator('#preview-grades tr[data-grade]')
        .evaluateAll((rows) =>
          rows.map((r) => [r.getAttribute('data-grade'), Number(r.getAttribute('data-after'))]),
        ),
    ) as Record<string, number>
    const sql = collector.store.sql
    const gradesBefore = await sql`select id, grade from contacts
      where workspace_id = ${collector.workspaceId} and merged_into is null`
    await page.click('#save')
    await page.locator('#saved').waitFor()
    expect(await page.locator('#saved').innerText()).toMatch(/Saved version 1: rescored \d+/)

    // The watchers (every fourth person from u1) got exactly 60 points more; nobody else moved.
    for (const [i, p] of people.entries()) {
      const c = await collector.store.getContact(collector.workspaceId, {
        kind: 'userId',
        value: p.userId,
      })
      const line = (c!.score as { breakdown: { rule: string; points: number }[] }).breakdown.find(
        (b) => b.rule === 'demo-video',
      )
      if (i % 4 === 1) expect(line?.points).toBeCloseTo(60 * 0.5 ** (2 / 30), 1)
      else expect(line).toBeUndefined()
    }
    const gradesAfter = await sql`select id, grade from contacts
      where workspace_id = ${collector.workspaceId} and merged_into is null`
    const was = new Map(gradesBefore.map((r) => [r.id, r.grade]))
    expect(gradesAfter.filter((r) => was.get(r.id) !== r.grade).length).toBe(changed)
    const counted: Record<string, number> = {}
    for (const r of gradesAfter) counted[r.grade ?? ''] = (counted[r.grade ?? ''] ?? 0) + 1
    for (const [grade, n] of Object.entries(after)) expect(counted[grade] ?? 0, grade).toBe(n)
    expect(changed).toBeGreaterThan(0)

    // The JSON view shows the saved rule with its keys in the documented order.
    const json = await page.locator('textarea[name=rules]').inputValue()
    const saved = JSON.parse(json).rules.find((r: { id: string }) => r.id === 'demo-video')
    expect(Object.keys(saved)).toEqual(['id', 'name', 'kind', 'points', 'conditions'])
    await ctx.close()
  })

  it('filters and sorting agree with the API', async () => {
    const ctx = await marketer('en', 1280)
    const page = await ctx.newPage()
    // GET /v1/contacts with the page's own query (test/dashboard-filters.test.ts covers every
    // filter and column); the database is never read here.
    const listed = async (query: string) => {
      const res = await fetch(`${collector.url}/v1/contacts?${query}&limit=1000`, {
        headers: { authorization: `Bearer ${collector.secretKey}` },
      })
      expect(res.status).toBe(200)
      return ((await res.json()) as { contacts: { id: string; score: { total: number } }[] })
        .contacts
    }
    const all = await listed('sort=lastSeen')
    // A threshold that keeps about half of the contacts.
    const scores = all.map((r) => r.score.total).sort((a, b) => a - b)
    const min = Math.floor(scores[Math.floor(scores.length / 2)]!)
    const expected = (await listed(`scoreMin=${min}&sort=lastSeen`)).map((r) => r.id)
    expect(expected.length).toBeGreaterThan(0)
    expect(expected.length).toBeLessThan(all.length)
    await page.goto(`${collector.url}/app/contacts`)
    await page.fill('input[name=scoreMin]', String(min))
    await page.click('#filters button[type=submit]')
    await page.click('#sort-lastSeen')
    await page.waitForURL('**sort=lastSeen**')
    const shown = await page
      .locator('#contacts tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))
    expect(shown).toEqual(expected.slice(0, 50))
    // Ascending on a second click.
    await page.click('#sort-lastSeen')
    await page.waitForURL('**sort=lastSeen-asc**')
    const asc = await page
      .locator('#contacts tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))
    expect(asc).toEqual(
      (await listed(`scoreMin=${min}&sort=lastSeen-asc`)).map((r) => r.id).slice(0, 50),
    )
    // The CSV export has the same rows, with a byte-order mark for Excel when asked.
    const csv = await page.evaluate(
      async (href) => {
        const r = await fetch(href)
        return (
          new Uint8Array(await r.arrayBuffer()).slice(0, 3).join(',') +
          '|' +
          (await (await fetch(href)).text())
        )
      },
      (await page.locator('#export-excel').getAttribute('href'))!,
    )
    expect(csv.startsWith('239,187,191|')).toBe(true)
    expect(csv.split('\r\n').filter(Boolean).length - 1).toBe(expected.length)
    await ctx.close()
  })

  it('the profile shows formatted values, computed traits apart, and the order', async () => {
    const c = await collector.store.getContact(collector.workspaceId, {
      kind: 'userId',
      value: 'u0',
    })
    for (const locale of LOCALES) {
      const ctx = await marketer(locale, 1280)
      const page = await ctx.newPage()
      await page.goto(`${collector.url}/app/contacts/${c!.id}`)
      const computed = await page.locator('#computed').innerText()
      const lifecycle = await page.locator('#lifecycle').innerText()
      if (locale === 'en') {
        expect(computed).toContain('Total revenue')
        expect(computed).toMatch(/CN¥40,000,000\.00/)
        expect(lifecycle).toMatch(/Order completed/)
        expect(await page.locator('#traits').innerText()).toContain('Employees')
      } else {
        expect(computed).toContain('总收入')
        expect(computed).toMatch(/¥40,000,000\.00/)
        expect(lifecycle).toContain('完成订单')
      }
      expect(await page.locator('#traits').innerText()).not.toContain('totalRevenue')
      const timeline = await page.locator('#timeline').innerText()
      expect(timeline).toContain('https://shop.example/pricing?i=0')
      await ctx.close()
    }
  })

  let segmentId = ''
  let accountId = ''

  it('segment builder: the count follows the form as you type (under the strict CSP), and equals the saved segment', async () => {
    // Companies for the Accounts pages: every third person joins one through a `group` call.
    await send('/v1/batch', {
      batch: people
        .filter((_, i) => i % 3 === 0)
        .map((p, i) => ({
          type: 'group',
          userId: p.userId,
          groupId: i % 2 ? 'northwind' : 'beifang',
          traits:
            i % 2 ? { name: 'Northwind', employees: 800 } : { name: '北方贸易', employees: 20 },
        })),
    })
    // No bypassCSP here: the preview script must run under the page's nonce.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en' })
    const page = await ctx.newPage()
    const blocked: string[] = []
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text())
    })
    await signInAsOwner(page, collector, '/app/segments/new')
    await page.selectOption('select[name=addKind]', 'trait')
    await page.click('#add-condition')
    await page.locator('#condition-0').waitFor()
    await page.fill('input[name=name]', 'Big companies')
    await page.fill('input[name="c0.name"]', 'employees')
    await page.selectOption('select[name="c0.op"]', 'gte')
    await page.fill('input[name="c0.value"]', '100')
    // Nobody pressed Preview: the script asked for the count.
    await page.locator('#preview-count').waitFor({ timeout: 15_000 })
    const previewed = Number(await page.locator('#segment-preview').getAttribute('data-members'))
    expect(previewed).toBe(people.filter((p) => p.employees >= 100).length)
    expect(blocked).toEqual([])
    await page.click('#save')
    await page.waitForURL(/\/app\/segments\/seg_[0-9a-f]+\?saved=1$/)
    segmentId = new URL(page.url()).pathname.split('/')[3]!
    expect(await page.locator('#segment-status').getAttribute('data-status')).toBe('ready')
    expect(Number(await page.locator('#segment-members').getAttribute('data-members'))).toBe(
      previewed,
    )
    expect(await page.locator('#members tbody tr').count()).toBe(previewed)
    const accounts = await fetch(`${collector.url}/v1/accounts`, {
      headers: { authorization: `Bearer ${collector.secretKey}` },
    })
    accountId = ((await accounts.json()) as { accounts: { id: string }[] }).accounts[0]!.id
    await ctx.close()
  })

  it('the contacts table fits its card at 1280 px, dates on one line, in English and Chinese', async () => {
    for (const locale of LOCALES) {
      const ctx = await marketer(locale, 1280)
      const page = await ctx.newPage()
      await page.goto(`${collector.url}/app/contacts`)
      const m = await page.locator('#contacts').evaluate((table) => {
        const box = table.parentElement!
        const cells = [...table.querySelectorAll<HTMLElement>('td.date')]
        return {
          scroll: box.scrollWidth,
          client: box.clientWidth,
          tableWidth: table.getBoundingClientRect().width,
          dates: cells.map((td) => {
            const time = td.querySelector('time')
            return {
              text: td.innerText,
              height: time?.getBoundingClientRect().height ?? 0,
              lines: time?.getClientRects().length ?? 0,
              line: parseFloat(getComputedStyle(td).lineHeight),
              title: time?.getAttribute('title') ?? '',
              datetime: time?.getAttribute('datetime') ?? '',
            }
          }),
          // a contact's name on one line
          names: [...table.querySelectorAll<HTMLElement>('td.name a')].map((a) => ({
            text: a.innerText,
            lines: Math.round(
              a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight),
            ),
          })),
        }
      })
      // No horizontal scrolling: the default columns fit the card.
      expect(m.scroll, `${locale}: table ${m.tableWidth}px`).toBeLessThanOrEqual(m.client)
      expect(m.dates.length).toBeGreaterThanOrEqual(2 * 24)
      for (const d of m.dates) {
        expect(d.lines, `${locale}: ${d.text}`).toBe(1)
        expect(d.height, `${locale}: ${d.text}`).toBeLessThanOrEqual(1.5 * d.line)
        // This year's dates (the workspace zone is UTC): day and time, no year; the title keeps
        // the year and the zone.
        const year = String(new Date(d.datetime).getUTCFullYear())
        expect(d.title).toContain(year)
        expect(d.title).toContain('UTC')
        if (year === String(new Date().getUTCFullYear())) {
          expect(d.text).not.toContain(year)
          expect(d.text).toMatch(
            locale === 'en'
              ? /^[A-Z][a-z]{2} \d{1,2}, \d\d:\d\d$/
              : /^\d{1,2}月\d{1,2}日 \d\d:\d\d$/,
          )
        } else expect(d.text).toContain(year)
      }
      expect(m.names.length).toBeGreaterThan(0)
      for (const n of m.names) expect(n.lines, `${locale}: ${n.text}`).toBe(1)
      // Lifetime value without cents (≥ 1,000), in the symbol the locale expects.
      const ltv = (await page.locator('#contacts td.ltv').allInnerTexts()).filter(Boolean)
      expect(ltv.length).toBeGreaterThan(0)
      for (const v of ltv) expect(v).toBe(locale === 'en' ? 'CN¥120,000,000' : '¥120,000,000')
      await ctx.close()
    }
  })

  it(
    'every page, both languages, desktop and phone: axe-core clean and never wider than the screen',
    { timeout: 600_000 },
    async () => {
      const c = await collector.store.getContact(collector.workspaceId, {
        kind: 'userId',
        value: 'u0',
      })
      const pages = DASHBOARD_PAGES({ contact: c!.id, segment: segmentId, account: accountId })
      const problems: string[] = []
      for (const locale of LOCALES) {
        for (const width of WIDTHS) {
          const ctx = await marketer(locale, width)
          const page = await ctx.newPage()
          for (const [name, path] of pages) {
            await page.goto(`${collector.url}${path}`)
            expect(await page.locator('html').getAttribute('lang')).toBe(locale)
            if (name === 'live') await liveActivity(page, `${locale}-${width}`, send)
            const w = await pageWidth(page)
            if (w.scroll > w.inner) problems.push(`${name} ${locale} ${width}: ${w.scroll}px wide`)
            for (const v of await axeViolations(page))
              problems.push(`${name} ${locale} ${width}: ${v}`)
            for (const cell of await squeezedCells(page))
              problems.push(`${name} ${locale} ${width}: squeezed cell ${cell}`)
            for (const entry of await cutOffNav(page))
              problems.push(`${name} ${locale} ${width}: navigation ${entry}`)
            if (SHOOT && (width === 1280 || PHONE_SHOTS.has(name)))
              await shot(
                page,
                `${name}-${locale}${width === 390 ? '-phone' : ''}.png`,
                width === 1280 && name !== 'rules',
              )
          }
          await ctx.close()
          // The sign-in page, without a session.
          const anon = await browser.newContext({
            viewport: { width, height: 900 },
            locale,
            bypassCSP: true,
          })
          const login = await anon.newPage()
          await login.goto(`${collector.url}/app/login`)
          expect(await login.locator('html').getAttribute('lang')).toBe(locale)
          const w = await pageWidth(login)
          if (w.scroll > w.inner) problems.push(`login ${locale} ${width}: ${w.scroll}px wide`)
          for (const v of await axeViolations(login))
            problems.push(`login ${locale} ${width}: ${v}`)
          await anon.close()
        }
      }
      expect(problems).toEqual([])
    },
  )

  it("default grades read in the reader's language; their stored names stay the values", async () => {
    const res = await fetch(`${collector.url}/v1/contacts?grade=hot&limit=1000`, {
      headers: { authorization: `Bearer ${collector.secretKey}` },
    })
    const hot = ((await res.json()) as { contacts: unknown[] }).contacts.length
    expect(hot).toBeGreaterThan(0)
    for (const [locale, label] of [
      ['en', 'hot'],
      ['zh-CN', '热线索'],
    ] as const) {
      const ctx = await marketer(locale, 1280)
      const page = await ctx.newPage()
      await page.goto(`${collector.url}/app/contacts`)
      // The filter offers the label and sends the stored name.
      const option = page.locator('select[name=grade] option[value="hot"]')
      expect((await option.innerText()).trim()).toBe(label)
      await page.selectOption('select[name=grade]', 'hot')
      await page.click('#filters button[type=submit]')
      await page.waitForURL('**grade=hot**')
      const badges = await page
        .locator('#contacts tbody .grade')
        .evaluateAll((bs) => bs.map((b) => [b.getAttribute('data-grade'), b.textContent]))
      expect(badges.length).toBe(hot)
      expect(new Set(badges.map((b) => b.join('|')))).toEqual(new Set([`hot|${label}`]))
      await page.goto(`${collector.url}/app`)
      const overview = await page.locator('main').innerText()
      if (locale === 'zh-CN') {
        expect(overview).toContain('冷线索')
        expect(overview).not.toMatch(/\b(hot|cold|warm)\b/)
      }
      await ctx.close()
    }
  })
})
