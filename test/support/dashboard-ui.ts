// Shared by the dashboard's Chromium suites (dashboard-ui.test.ts, dashboard-languages.test.ts):
// signed-in contexts, the page checks every page must pass, and the docs' screenshots.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import { signInAsOwner } from './dashboard-owner.js'

const AXE = createRequire(import.meta.url)('axe-core').source as string
const DOCS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
/** UPDATE_DOCS_SCREENSHOTS=1 also writes the screenshots of docs/dashboard.md. */
export const SHOOT = process.env.UPDATE_DOCS_SCREENSHOTS === '1'
export const SCREENSHOTS = DOCS
export const LOCALES = ['en', 'zh-CN'] as const
export const WIDTHS = [1280, 390] as const

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>

/**
 * `marketer(locale, width, on)`: a signed-in browser context (the workspace's owner) in a
 * language at a width. The owner's session is kept per collector: signed in once (sign-ins are
 * rate-limited per account).
 */
export function marketers(browser: Browser) {
  const sessions = new Map<string, StorageState>()
  return async function marketer(
    locale: string,
    width: number,
    on: { url: string; secretKey: string },
  ): Promise<BrowserContext> {
    const options = { viewport: { width, height: 900 }, locale, bypassCSP: true }
    const known = sessions.get(on.url)
    if (known) return browser.newContext({ ...options, storageState: known })
    const ctx = await browser.newContext(options)
    const page = await ctx.newPage()
    // Lands on Settings: the overview caches its figures for 30 s, so it is first read with data.
    await signInAsOwner(page, on, '/app/settings')
    await page.close()
    sessions.set(on.url, await ctx.storageState())
    return ctx
  }
}

/** Serious or critical axe-core violations of the page, as `rule: target` lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE })
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run: () => Promise<unknown> } }).axe.run(),
  )) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

export const pageWidth = (page: Page) =>
  page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }))

/**
 * Table cells squeezed to a character or two per line (what a too-narrow column does to Chinese
 * text): `cell text: lines` for each cell of at least 3 lines averaging under 3 characters.
 */
export const squeezedCells = (page: Page) =>
  page.evaluate(() => {
    const out: string[] = []
    for (const cell of document.querySelectorAll('main td, main th')) {
      const tops = new Set<number>()
      let chars = 0
      const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT)
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        chars += [...(n.textContent ?? '').replace(/\s+/g, '')].length
        const range = document.createRange()
        range.selectNodeContents(n)
        for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top))
      }
      if (tops.size >= 3 && chars / tops.size < 3)
        out.push(
          `${(cell as HTMLElement).innerText.replace(/\s+/g, ' ').slice(0, 30)}: ${tops.size} lines`,
        )
    }
    return out
  })

/** Header navigation entries cut off or past the viewport's edge, by their text. */
export const cutOffNav = (page: Page) =>
  page.evaluate(() => {
    const nav = document.querySelector('header nav.main')
    if (!nav) return ['no header navigation']
    const box = nav.getBoundingClientRect()
    const out = nav.scrollWidth > nav.clientWidth + 1 ? [`nav scrolls: ${nav.scrollWidth}px`] : []
    for (const a of nav.querySelectorAll('a')) {
      const r = a.getBoundingClientRect()
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.right > window.innerWidth)
        out.push(`${(a as HTMLElement).innerText} at ${Math.round(r.left)}–${Math.round(r.right)}`)
    }
    return out
  })

/** Writes a screenshot for the docs as a palette PNG (256 colours: a fraction of the size). */
export async function shot(page: Page, file: string, fullPage: boolean) {
  const png = await page.screenshot({ fullPage })
  const { default: sharp } = await import('sharp')
  await sharp(png).png({ palette: true, compressionLevel: 9, effort: 10 }).toFile(`${DOCS}${file}`)
}

/** Pages also shot at phone width for docs/dashboard.md (every page is checked at both). */
export const PHONE_SHOTS = new Set([
  'overview',
  'contacts',
  'contact',
  'segments',
  'reports',
  'kpis',
])

/** Every dashboard page a signed-in marketer reads, by screenshot name, for the given ids. */
export const DASHBOARD_PAGES = (id: {
  contact: string
  segment: string
  account: string
}): [string, string][] => [
  ['overview', '/app'],
  ['contacts', '/app/contacts'],
  ['contact', `/app/contacts/${id.contact}`],
  ['live', '/app/live'],
  ['rules', '/app/rules'],
  ['quality', '/app/quality'],
  ['kpis', '/app/kpis'],
  ['reports', '/app/reports'],
  ['reasons', '/app/reasons'],
  ['campaigns', '/app/campaigns'],
  ['quality-history', '/app/quality/history'],
  ['alerts', '/app/alerts'],
  ['setup', '/app/setup'],
  ['settings', '/app/settings'],
  ['segments', '/app/segments'],
  ['segment-new', '/app/segments/new'],
  ['segment', `/app/segments/${id.segment}`],
  ['segment-edit', `/app/segments/${id.segment}/edit`],
  ['accounts', '/app/accounts'],
  ['account', `/app/accounts/${id.account}`],
  ['team', '/app/team'],
  ['keys', '/app/keys'],
  ['audit', '/app/audit'],
  ['my-sessions', '/app/account'],
  ['not-found', '/app/contacts/00000000-0000-4000-8000-000000000000'],
]

/**
 * The Live page as a marketer sees it at work, not waiting: once its stream is connected, a
 * visitor names themself and views a page, and the page lists what arrived, one line with the
 * score change folded in (the checks and the screenshot then see the feed's lines, links and
 * badges).
 */
export async function liveActivity(
  page: Page,
  tag: string,
  send: (path: string, body: unknown) => Promise<void>,
) {
  // connected: the status reads the page's own "connected" words
  await page.waitForFunction(() => {
    const feed = document.querySelector<HTMLElement>('#feed')
    const words = JSON.parse(feed?.dataset.i18n ?? '{}') as { connected?: string }
    return document.querySelector('#status')?.textContent?.trim() === words.connected?.trim()
  })
  const anonymousId = `live-${tag}`
  const sentAt = Date.now()
  await send('/v1/batch', {
    batch: [
      {
        type: 'identify',
        anonymousId,
        messageId: `${anonymousId}-identify`,
        traits: { name: tag.startsWith('zh') ? '陈静' : 'Grace Hopper', title: 'VP Marketing' },
      },
      {
        type: 'page',
        anonymousId,
        messageId: `${anonymousId}-page`,
        name: 'Docs',
        properties: { url: 'https://www.example.com/docs', title: 'Docs' },
      },
    ],
  })
  // One line for the visit, the score change it caused folded in (dashboard/live-fold.ts).
  const line = page.locator('#feed li.event').first()
  await line.waitFor()
  expect(await line.locator('a').innerText()).toContain(
    tag.startsWith('zh')
      ? '陈静：身份识别 · 页面浏览 Docs · 评分 '
      : 'Grace Hopper: Identified · Page view Docs · score ',
  )
  expect(await page.locator('#feed li.score, #feed li.grade').count()).toBe(0)
  // Its time: when the collector stored the batch, on a 24-hour clock like the tables.
  const time = line.locator('time')
  const stored = Date.parse((await time.getAttribute('datetime')) ?? '')
  expect(stored).toBeGreaterThanOrEqual(sentAt - 1000)
  expect(stored).toBeLessThanOrEqual(Date.now())
  expect(await time.innerText()).toMatch(/^\d\d:\d\d:\d\d$/)
}
