// Website personalisation in real Chromium against the real collector on loopback
// (docs/segments.md, Website personalisation; docs/sdk.md, Personalisation). The site serves
// its own copies of the SDK (as a CDN would: not the collector's origin) and starts it with
// `lodestone.load(key, { host })`, never with tag attributes, in the two ways docs/sdk.md shows:
// the snippet stub with the /sdk-segments.js add-on, and the npm package's ES modules
// (packages/sdk/dist/esm) with `segments(lodestone)`. A visitor who viewed the pricing page gets
// the key of the public segment that holds them, never the private one's; others get [].
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, normalize } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureSdkBuilt, launchChromium, SDK_DIST } from './support/chromium.js'
import { startCollector } from './support/collector.js'

let collector: Awaited<ReturnType<typeof startCollector>>
let site: { url: string; stop(): Promise<void> }
let browser: Browser

// The docs' snippet (docs/sdk.md), `load` among the stubbed methods.
const SNIPPET = `!(function () {
  var l = (window.lodestone = window.lodestone || [])
  if (!Array.isArray(l)) return
  ;['load', 'track', 'page', 'identify', 'group', 'alias', 'reset', 'ready', 'flush'].forEach(
    function (m) { l[m] = function () { l.push([m].concat([].slice.call(arguments))) } })
  l.consent = { set: function () { l.push(['consent.set'].concat([].slice.call(arguments))) } }
})()`

/** The page for one way of starting the SDK; `consent` holds it until the test grants it. */
function html(way: string, key: string, host: string): string {
  const opts = JSON.stringify({ host, requireConsent: way === 'npm-consent' })
  const body =
    way === 'snippet'
      ? `<script>${SNIPPET}
lodestone.load(${JSON.stringify(key)}, ${opts})</script>
<script async src="/cdn/sdk.js"></script>
<script async src="/cdn/sdk-segments.js"></script>`
      : `<script type="module">
import { createLodestone, segments } from '/esm/index.js'
const lodestone = createLodestone()
lodestone.load(${JSON.stringify(key)}, ${opts})
window.lodestone = lodestone
window.personalize = (o) => segments(lodestone, o)
</script>`
  return `<!doctype html><html><head><title>${way}</title></head><body>${body}</body></html>`
}

async function serveSite(key: string, host: string) {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const js = (file: string) => {
      res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-store' })
      res.end(readFileSync(file))
    }
    if (path === '/cdn/sdk.js') return js(join(SDK_DIST, 'lodestone.iife.js'))
    if (path === '/cdn/sdk-segments.js') return js(join(SDK_DIST, 'lodestone.segments.iife.js'))
    if (path.startsWith('/esm/')) {
      const file = normalize(join(SDK_DIST, path))
      if (!file.startsWith(join(SDK_DIST, 'esm'))) return res.writeHead(404).end()
      return js(file)
    }
    // /pricing/<way>, /about/<way>
    const way = path.split('/')[2] ?? ''
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end(html(way, key, host))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  }
}

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(collector.url + path, {
    method,
    headers: { Authorization: `Bearer ${collector.secretKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  ensureSdkBuilt()
  collector = await startCollector({ sweepIntervalMs: 100 })
  site = await serveSite(collector.writeKey, collector.url)
  browser = await launchChromium()
  const pricing = {
    events: { match: { type: 'page', url: '*/pricing*' }, atLeast: 1, within: '14d' },
  }
  for (const [key, isPublic] of [
    ['show-enterprise-banner', true],
    ['pricing-watchers', false],
  ] as const) {
    const made = await api('POST', '/v1/segments', {
      name: key,
      key,
      conditions: pricing,
      browser: isPublic,
    })
    expect(made.status).toBe(201)
    // Back-fill (of an empty workspace) runs in the collector's time sweep.
    const deadline = Date.now() + 30_000
    while ((await api('GET', `/v1/segments/${made.body.id}`)).body.status !== 'ready') {
      if (Date.now() > deadline) throw new Error(`segment ${key} never became ready`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}, 300_000) // a stale SDK build is rebuilt first

afterAll(async () => {
  await browser?.close()
  await site?.stop()
  await collector?.stop()
})

type Win = {
  lodestone: {
    loaded?: boolean
    flush(): Promise<void>
    consent: { set(v: boolean): void }
    segments?(o?: { fresh?: boolean }): Promise<string[]>
  }
  personalize?(o?: { fresh?: boolean }): Promise<string[]>
}

/** Opens a page, waits for the SDK, and records every personalisation request it makes. */
async function open(path: string) {
  const page = await browser.newPage()
  const asked: URL[] = []
  page.on('request', (r) => {
    const u = new URL(r.url())
    if (u.pathname === '/v1/personalize/segments') asked.push(u)
  })
  await page.goto(site.url + path)
  await page.waitForFunction(() => (window as unknown as Win).lodestone?.loaded === true)
  return { page, asked }
}

/** The visitor's keys, asked afresh until the page view has been stored (bounded). */
async function keysOf(page: Page, call: 'addon' | 'npm', want: string[]): Promise<string[]> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const keys = await page.evaluate(async (call) => {
      const w = window as unknown as Win
      await w.lodestone.flush()
      const ask = call === 'addon' ? w.lodestone.segments! : w.personalize!
      return ask({ fresh: true })
    }, call)
    if (JSON.stringify(keys) === JSON.stringify(want) || Date.now() > deadline) return keys
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('lodestone.segments() in Chromium, the SDK started with load(key, { host })', () => {
  it('the /sdk-segments.js add-on beside the snippet asks the loaded host with the loaded key', async () => {
    const { page, asked } = await open('/pricing/snippet')
    try {
      await page.waitForFunction(() => !!(window as unknown as Win).lodestone.segments)
      expect(await keysOf(page, 'addon', ['show-enterprise-banner'])).toEqual([
        'show-enterprise-banner',
      ])
      const last = asked.at(-1)!
      expect(last.origin).toBe(collector.url)
      expect(last.searchParams.get('writeKey')).toBe(collector.writeKey)
      // kept for the page: a plain call asks nothing more
      const before = asked.length
      expect(await page.evaluate(() => (window as unknown as Win).lodestone.segments!())).toEqual([
        'show-enterprise-banner',
      ])
      expect(asked.length).toBe(before)
    } finally {
      await page.close()
    }
    const other = await open('/about/snippet')
    try {
      await other.page.waitForFunction(() => !!(window as unknown as Win).lodestone.segments)
      expect(await keysOf(other.page, 'addon', [])).toEqual([])
      expect(other.asked.length).toBeGreaterThan(0) // it did ask: [] is the collector's answer
    } finally {
      await other.page.close()
    }
  })

  it('the npm package: segments(lodestone) from its ES modules, after consent only', async () => {
    const { page, asked } = await open('/pricing/npm-consent')
    try {
      const pending = await page.evaluate(() => (window as unknown as Win).personalize!())
      expect(pending).toEqual([])
      expect(asked.length).toBe(0) // nothing asked before consent
      await page.evaluate(() => (window as unknown as Win).lodestone.consent.set(true))
      expect(await keysOf(page, 'npm', ['show-enterprise-banner'])).toEqual([
        'show-enterprise-banner',
      ])
      expect(asked.at(-1)!.origin).toBe(collector.url)
    } finally {
      await page.close()
    }
    const other = await open('/about/npm')
    try {
      expect(await keysOf(other.page, 'npm', [])).toEqual([])
      expect(other.asked.length).toBeGreaterThan(0)
    } finally {
      await other.page.close()
    }
  })
})
