// The dashboard's shell in real Chromium: the navigation is grouped, never cut off, every page
// within two clicks and the current one marked; every page of a workspace without data says what
// to do next (no chart of zeros), in both languages at both widths, axe-core clean and never wider
// than the screen; the language switcher keeps the page; a person who chose a language can go back
// to following their browser's. With UPDATE_DOCS_SCREENSHOTS=1 it also writes the empty-workspace
// screenshots of docs/dashboard.md.
import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './support/chromium.js'
import { startCollector } from './support/collector.js'
import {
  axeViolations,
  cutOffNav,
  LOCALES,
  marketers,
  pageWidth,
  SCREENSHOTS,
  SHOOT,
  shot,
  WIDTHS,
} from './support/dashboard-ui.js'

let collector: Awaited<ReturnType<typeof startCollector>>
let browser: Browser
let marketer: ReturnType<typeof marketers>

beforeAll(async () => {
  collector = await startCollector()
  browser = await launchChromium()
  marketer = marketers(browser)
  if (SHOOT) mkdirSync(SCREENSHOTS, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  await collector?.stop()
})

/** Every page of the nav, as an owner sees them (all of them); data pages first. */
const EVERY_PAGE = [
  '/app',
  '/app/contacts',
  '/app/segments',
  '/app/accounts',
  '/app/live',
  '/app/rules',
  '/app/reports',
  '/app/kpis',
  '/app/quality',
  '/app/quality/history',
  '/app/reasons',
  '/app/campaigns',
  '/app/alerts',
  '/app/setup',
  '/app/settings',
  '/app/team',
  '/app/keys',
  '/app/audit',
  '/app/account',
]

describe('dashboard shell in Chromium', () => {
  it('navigation: grouped, nothing cut off, every page within two clicks, the current one marked', async () => {
    const hrefs = (page: Page, selector: string) =>
      page
        .locator(selector)
        .evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname))
    for (const locale of LOCALES) {
      for (const width of WIDTHS) {
        const ctx = await marketer(locale, width, collector)
        const page = await ctx.newPage()
        await page.goto(`${collector.url}/app`)
        expect(await cutOffNav(page), `${locale} ${width}`).toEqual([])
        // One click: the header's entries; two: the sub-navigation or list each one opens.
        const first = await hrefs(page, 'header nav.main a')
        expect(first.length).toBeLessThanOrEqual(9)
        const reached = new Set(first)
        for (const href of first) {
          await page.goto(`${collector.url}${href}`)
          for (const h of await hrefs(page, '#subnav a, #reports a')) reached.add(h)
        }
        expect(
          EVERY_PAGE.filter((p) => !reached.has(p)),
          `${locale} ${width}`,
        ).toEqual([])
        await ctx.close()
      }
    }

    // The current page is marked in the sub-navigation, its group in the header.
    const ctx = await marketer('en', 1280, collector)
    const page = await ctx.newPage()
    for (const [path, top] of [
      ['/app/kpis', '/app/reports'],
      ['/app/quality/history', '/app/reports'],
      ['/app/team', '/app/settings'],
      ['/app/account', '/app/settings'],
    ] as const) {
      await page.goto(`${collector.url}${path}`)
      expect(await hrefs(page, '#subnav a[aria-current="page"]')).toEqual([path])
      expect(await hrefs(page, 'header nav.main a[aria-current="true"]')).toEqual([top])
      expect(await page.locator('header nav.main a[aria-current="page"]').count()).toBe(0)
    }
    await page.goto(`${collector.url}/app/reports`)
    expect(await hrefs(page, 'header nav.main a[aria-current="page"]')).toEqual(['/app/reports'])

    // By keyboard alone: Tab to Reports, Enter, Tab to a report, Enter.
    await page.goto(`${collector.url}/app`)
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab')
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector))
          return
      }
      throw new Error(`Tab never reached ${selector}`)
    }
    await tabTo('header nav.main a[href="/app/reports"]')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/app/reports')
    await tabTo('#reports a[href="/app/campaigns"]')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/app/campaigns')
    expect(await hrefs(page, '#subnav a[aria-current="page"]')).toEqual(['/app/campaigns'])
    await ctx.close()
  })

  it(
    'an empty workspace: every page says what to do next, no chart without data',
    { timeout: 300_000 },
    async () => {
      const empty = collector // this file's workspace has no data
      // The pages that show a workspace's data (settings, team, keys, audit and account don't).
      const pages = EVERY_PAGE.slice(0, EVERY_PAGE.indexOf('/app/settings'))
      const problems: string[] = []
      for (const locale of LOCALES)
        for (const width of WIDTHS) {
          const ctx = await marketer(locale, width, empty)
          const page = await ctx.newPage()
          for (const path of pages) {
            await page.goto(`${empty.url}${path}`)
            const where = `${path} ${locale} ${width}`
            const charts = await page.locator('svg.chart').count()
            if (charts) problems.push(`${where}: ${charts} charts without data`)
            const w = await pageWidth(page)
            if (w.scroll > w.inner) problems.push(`${where}: ${w.scroll}px wide`)
            for (const v of await axeViolations(page)) problems.push(`${where}: ${v}`)
          }
          // The overview says what to do next and links to Setup.
          await page.goto(`${empty.url}/app`)
          expect(await page.locator('#empty-state a[href="/app/setup"]').count()).toBe(1)
          const suffix = `${locale}${width === 390 ? '-phone' : ''}`
          if (SHOOT) await shot(page, `empty-overview-${suffix}.png`, width > 390)
          if (SHOOT) {
            await page.goto(`${empty.url}/app/setup`)
            await shot(page, `empty-setup-${suffix}.png`, width > 390)
            await page.goto(`${empty.url}/app/kpis`)
            await shot(page, `empty-kpis-${suffix}.png`, width > 390)
          }
          await ctx.close()
        }
      expect(problems).toEqual([])
    },
  )

  it('switches language with the switcher and keeps the page', async () => {
    const ctx = await marketer('en', 390, collector)
    const page = await ctx.newPage()
    await page.goto(`${collector.url}/app/contacts?scoreMin=1`)
    await page.click('nav.langs a[lang="zh-CN"]')
    await page.waitForURL('**/app/contacts?scoreMin=1')
    expect(await page.locator('h1').innerText()).toBe('联系人')
    // Sign out stays reachable on a phone.
    const box = await page.locator('header button[type=submit]').boundingBox()
    expect(box!.x + box!.width).toBeLessThanOrEqual(390)
    await ctx.close()
  })

  it('a person who chose a language can go back to following their browser', async () => {
    const ctx = await marketer('zh-CN', 390, collector)
    const page = await ctx.newPage()
    const owner = async () =>
      (
        await collector.store.sql`select locale from users
          where workspace_id = ${collector.workspaceId} and email = 'owner@northwind.example'`
      )[0]!.locale as string | null
    const langCookie = async () =>
      (await ctx.cookies()).find((c) => c.name === 'lodestone_lang')?.value ?? null
    await page.goto(`${collector.url}/app/contacts?scoreMin=1`)
    await page.click('nav.langs a[lang="en"]')
    await page.waitForURL('**/app/contacts?scoreMin=1')
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    expect(await page.locator('nav.langs a[aria-current]').getAttribute('lang')).toBe('en')
    expect(await owner()).toBe('en')
    expect(await langCookie()).toBe('en')
    // Back to the browser's language (zh-CN here): a null locale on the user, no cookie.
    await page.click('#lang-auto')
    await page.waitForURL('**/app/contacts?scoreMin=1')
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    expect(await page.locator('#lang-auto').getAttribute('aria-current')).toBe('true')
    expect(await page.locator('nav.langs a[aria-current]').count()).toBe(1)
    expect(await owner()).toBeNull()
    expect(await langCookie()).toBeNull()
    await ctx.close()
    // Another browser of the same person, in English, now gets English.
    const en = await marketer('en', 1280, collector)
    const other = await en.newPage()
    await other.goto(`${collector.url}/app`)
    expect(await other.locator('html').getAttribute('lang')).toBe('en')
    await en.close()

    // The sign-in page, without a session: the cookie alone, then back to Accept-Language.
    const anon = await browser.newContext({ viewport: { width: 390, height: 900 }, locale: 'en' })
    const login = await anon.newPage()
    await login.goto(`${collector.url}/app/login`)
    await login.click('nav.langs a[lang="zh-CN"]')
    await login.waitForURL('**/app/login**')
    expect(await login.locator('html').getAttribute('lang')).toBe('zh-CN')
    await login.click('#lang-auto')
    await login.waitForURL('**/app/login**')
    expect(await login.locator('html').getAttribute('lang')).toBe('en')
    expect((await anon.cookies()).some((c) => c.name === 'lodestone_lang')).toBe(false)
    await anon.close()
  })
})
