import { type Browser, type BrowserContext, type Page } from 'playwright-core'
import { ensureSdkBuilt, launchChromium } from './support/chromium.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPages } from './fixtures/sdk-pages/pages.js'
import { startCollector } from './support/collector.js'

let collector: Awaited<ReturnType<typeof startCollector>>
let pages: Awaited<ReturnType<typeof startPages>>
let browser: Browser

beforeAll(async () => {
  ensureSdkBuilt()
  collector = await startCollector()
  pages = await startPages(collector.url, collector.writeKey)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await pages?.stop()
  await collector?.stop()
})

/** What one stored event is, for comparing multisets: track name, or page path. */
function label(e: { type: string; event: string | null; payload: Record<string, unknown> }) {
  const props = e.payload.properties as Record<string, unknown> | undefined
  return e.type === 'track'
    ? `track:${e.event}`
    : e.type === 'page'
      ? `page:${props?.path}`
      : e.type
}

async function eventsFor(anonymousIds: Set<string>, expected: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const all = (await collector.events()).filter(
      (e) => e.anonymousId && anonymousIds.has(e.anonymousId),
    )
    if (all.length >= expected || Date.now() > deadline) {
      await new Promise((r) => setTimeout(r, 1500)) // anything extra (a duplicate) shows up now
      return (await collector.events()).filter(
        (e) => e.anonymousId && anonymousIds.has(e.anonymousId),
      )
    }
    await new Promise((r) => setTimeout(r, 200))
  }
}

const ready = (page: Page) =>
  page.waitForFunction(
    () => (window as unknown as { lodestone?: { loaded?: boolean } }).lodestone?.loaded === true,
  )
const call = (page: Page, code: string) => page.evaluate(code)
const anonymousId = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { lodestone: { user(): { anonymousId(): string } } }).lodestone
      .user()
      .anonymousId(),
  )

async function newContext(): Promise<BrowserContext> {
  return browser.newContext()
}

describe('SDK delivery in Chromium', () => {
  it('navigate, SPA routes, reload, offline/online and close: every event exactly once', async () => {
    const context = await newContext()
    const page = await context.newPage()
    // messageId -> times the collector acknowledged it to this tab (failed attempts offline
    // are retries, not sends; the last keepalive after close may go unobserved)
    const acked = new Map<string, number>()
    page.on('requestfinished', async (r) => {
      if (!r.url().endsWith('/v1/batch') || r.method() !== 'POST') return
      if ((await r.response())?.status() !== 200) return
      for (const e of JSON.parse(r.postData() ?? '{}').batch ?? [])
        acked.set(e.messageId, (acked.get(e.messageId) ?? 0) + 1)
    })

    await page.goto(`${pages.url}/tag/a`)
    await ready(page)
    const aid = await anonymousId(page)
    await call(page, `lodestone.track('A1')`)
    await call(
      page,
      `history.pushState(null, '', '/tag/a/spa'); history.replaceState(null, '', '/tag/a/spa?tab=2')`,
    )
    await page.waitForTimeout(100)
    // queued, then the page is left at once: the pagehide flush must carry it
    await call(
      page,
      `lodestone.track('A2 before navigation'); document.getElementById('next').click()`,
    )
    await page.waitForURL('**/b')
    await ready(page)
    await call(page, `lodestone.track('B1 before reload')`)
    await page.reload()
    await ready(page)
    expect(await anonymousId(page)).toBe(aid)

    await context.setOffline(true)
    await call(page, `lodestone.track('O1 offline'); lodestone.track('O2 offline')`)
    await page.waitForTimeout(2500) // a failed attempt or two, backing off
    await context.setOffline(false)
    await page.waitForTimeout(1500)
    await call(page, `lodestone.track('C1 before close')`)
    await page.close({ runBeforeUnload: true })

    const expected = [
      'page:/tag/a',
      'track:A1',
      'page:/tag/a/spa',
      'track:A2 before navigation',
      'page:/b',
      'track:B1 before reload',
      'page:/b',
      'track:O1 offline',
      'track:O2 offline',
      'track:C1 before close',
    ]
    const events = await eventsFor(new Set([aid]), expected.length)
    // The full build's capture plugins add their own events (Page Engaged): not ours to count.
    const core = events.map(label).filter((l) => l !== 'track:Page Engaged')
    expect(core.sort()).toEqual([...expected].sort())
    expect(new Set(events.map((e) => e.messageId)).size).toBe(events.length)
    // no event was delivered twice: nothing re-sent after the collector acknowledged it
    for (const e of events) expect(acked.get(e.messageId) ?? 1, label(e)).toBe(1)
    await context.close()
  })

  it('calls made before the script loads are replayed, in order', async () => {
    const context = await newContext()
    const page = await context.newPage()
    await page.goto(`${pages.url}/early/home`)
    await ready(page)
    const aid = await anonymousId(page)
    await call(page, `lodestone.flush()`)
    const events = await eventsFor(new Set([aid]), 3)
    expect(
      events
        .map(label)
        .filter((l) => l !== 'track:Page Engaged')
        .sort(),
    ).toEqual(['identify', 'page:/early/home', 'track:Early Click'])
    const click = events.find((e) => e.event === 'Early Click')!
    expect(click.userId).toBe('u-early')
    await context.close()
  })

  it('works with cookies and localStorage blocked', async () => {
    const context = await newContext()
    await context.addInitScript(() => {
      const deny = () => {
        throw new DOMException('The operation is insecure.', 'SecurityError')
      }
      Object.defineProperty(Document.prototype, 'cookie', {
        get: deny,
        set: deny,
        configurable: true,
      })
      Object.defineProperty(window, 'localStorage', { get: deny, configurable: true })
    })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${pages.url}/blocked/x`)
    await ready(page)
    const aid = await anonymousId(page)
    await call(
      page,
      `lodestone.identify('u-blocked'); lodestone.track('Blocked Click'); lodestone.flush()`,
    )
    const events = await eventsFor(new Set([aid]), 3)
    expect(
      events
        .map(label)
        .filter((l) => l !== 'track:Page Engaged')
        .sort(),
    ).toEqual(['identify', 'page:/blocked/x', 'track:Blocked Click'])
    expect(errors).toEqual([])
    await context.close()
  })
})
