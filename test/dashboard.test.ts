// The marketer dashboard in real Chromium: a visitor browses the example site (the real SDK
// script tag), then a marketer signs in, finds that visitor, reads the score breakdown, watches
// the Live page update, and changes a rule. Screenshots go to test-results/ (gitignored).
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, type Page } from 'playwright-core'
import { ensureSdkBuilt, launchChromium } from './support/chromium.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollector } from './support/collector.js'

const site = fileURLToPath(new URL('../examples/site/', import.meta.url))
const dist = fileURLToPath(new URL('../packages/sdk/dist/', import.meta.url))
const shots = fileURLToPath(new URL('../test-results/', import.meta.url))
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.pdf': 'application/pdf',
}

let collector: Awaited<ReturnType<typeof startCollector>>
let browser: Browser
let siteServer: Server
let siteUrl: string

/** Serves examples/site as its README asks: placeholders replaced, `/sdk.js` the full build. */
async function serveSite(collectorUrl: string, writeKey: string) {
  siteServer = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const name = path === '/' ? 'index.html' : path.slice(1)
    const file =
      name === 'sdk.js'
        ? `${dist}lodestone.iife.js`
        : name === 'sdk-chat.js'
          ? `${dist}lodestone.chat.iife.js`
          : `${site}${name}`
    if (!/^[\w.-]+$/.test(name) || !existsSync(file)) {
      res.writeHead(200, { 'Content-Type': 'text/html' }) // e.g. the form's action, /register
      res.end('<!doctype html><title>Thanks</title><p>Thanks!</p>')
      return
    }
    let body: string | Buffer = readFileSync(file)
    if (name.endsWith('.html'))
      body = body
        .toString('utf8')
        .replaceAll('__WRITE_KEY__', writeKey)
        .replaceAll('__HOST__', collectorUrl)
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
    res.end(body)
  })
  await new Promise<void>((r) => siteServer.listen(0, '127.0.0.1', r))
  siteUrl = `http://127.0.0.1:${(siteServer.address() as AddressInfo).port}`
}

beforeAll(async () => {
  ensureSdkBuilt()
  mkdirSync(shots, { recursive: true })
  collector = await startCollector()
  await serveSite(collector.url, collector.writeKey)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await new Promise((r) => siteServer?.close(r))
  await collector?.stop()
})

const EMAIL = 'grace.hopper@northwind.example'

async function waitFor<T>(fn: () => Promise<T | null | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 200))
  }
}

const totalOf = async (page: Page) =>
  Number(/Score (-?[\d.]+)/.exec(await page.locator('#total').innerText())![1])

describe('dashboard in Chromium', () => {
  it('sign in, find a browsing visitor, breakdown, live updates, and a rule change', async () => {
    // A visitor browses the example site and registers for the webinar.
    const visitor = await browser.newContext()
    const v = await visitor.newPage()
    await v.goto(`${siteUrl}/pricing.html`)
    await v.goto(`${siteUrl}/webinar.html`)
    await v.waitForFunction(
      () => (window as unknown as { lodestone?: { loaded?: boolean } }).lodestone?.loaded === true,
    )
    await v.fill('#first-name', 'Grace')
    await v.fill('#last-name', 'Hopper')
    await v.fill('#work-email', EMAIL)
    await v.fill('#company', 'Northwind <Labs>')
    await v.fill('#job-title', 'VP Engineering')
    await v.check('#newsletter')
    await v.click('#webinar-registration button[type=submit]')
    await v.locator('#registered').waitFor()
    await v.goto(`${siteUrl}/index.html`) // leaving the page flushes the queue
    await visitor.close()
    const contact = await waitFor(async () => {
      const c = await collector.store.getContact(collector.workspaceId, {
        kind: 'email',
        value: EMAIL,
      })
      const score = c?.score as { breakdown: unknown[] } | undefined
      return c && (score?.breakdown.length ?? 0) >= 2 ? c : null
    })

    // The marketer is invited (with the secret key, through the API), sets a password through
    // the link, signs out, and signs in again: pages redirect to the sign-in form.
    const invited = await fetch(`${collector.url}/v1/users`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${collector.secretKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ email: 'marketer@northwind.example', role: 'marketer' }),
    })
    expect(invited.status).toBe(201)
    const marketer = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const m = await marketer.newPage()
    await m.goto((await invited.json()).inviteUrl)
    await m.fill('input[name=password]', 'a marketer password')
    await m.click('main form button[type=submit]')
    await m.waitForURL(/\/app$/)
    await m.click('header form button[type=submit]')
    await m.goto(`${collector.url}/app/contacts`)
    expect(new URL(m.url()).pathname).toBe('/app/login')
    await m.fill('input[name=email]', 'marketer@northwind.example')
    await m.fill('input[name=password]', 'a marketer password')
    await m.click('main form button[type=submit]')
    await m.waitForURL('**/app/contacts')
    expect(m.url()).not.toContain('password')
    const cookies = await marketer.cookies()
    const session = cookies.find((c) => c.name === 'lodestone_session')!
    expect(session.httpOnly).toBe(true)
    expect(session.sameSite).toBe('Strict')
    expect(await m.evaluate(() => document.cookie)).toBe('')
    expect(await m.evaluate(() => JSON.stringify(localStorage))).toBe('{}')

    // Find the visitor by email and open the profile.
    await m.fill('input[name=q]', 'grace.hopper@')
    await m.click('form.filters button[type=submit]')
    await m.click('#contacts a:has-text("Grace Hopper")')
    await m.waitForURL(`**/app/contacts/${contact.id}`)
    await expect
      .poll(() => m.locator('#breakdown').innerText())
      .toContain('Viewed the pricing page')
    expect(await m.locator('#breakdown').innerText()).toContain('Registered for a webinar')
    expect(await m.locator('main').innerText()).toContain('Northwind <Labs>')
    expect(await m.locator('main').innerText()).toContain('newsletter')
    const before = await totalOf(m)
    expect(before).toBeGreaterThan(0)
    await m.screenshot({ path: `${shots}dashboard-profile.png`, fullPage: true })

    const anonymousId = contact.identities.find((i) => i.kind === 'anonymousId')!.value
    // Live: an event sent now appears without a reload.
    await m.goto(`${collector.url}/app/live`)
    await expect.poll(() => m.locator('#status').innerText()).toContain('Connected')
    const res = await fetch(`${collector.url}/v1/track`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${btoa(`${collector.writeKey}:`)}`,
      },
      body: JSON.stringify({ anonymousId, event: 'Demo Requested' }),
    })
    expect(res.status).toBe(200)
    const url = m.url()
    // One line for the visit: the score (and any grade) change it caused folded in
    // (dashboard/live-fold.ts), no separate score or grade line.
    const demo = m.locator('#feed li.event', { hasText: 'Grace Hopper: Demo Requested' }).first()
    await demo.waitFor({ timeout: 15_000 })
    const folded = (await demo.locator('a').innerText()).trim()
    expect(folded).toMatch(
      /^Grace Hopper: Demo Requested · score [\d.,]+ → [\d.,]+( · \w+ → \w+)?$/,
    )
    const [, from, to] = /score ([\d.,]+) → ([\d.,]+)/.exec(folded)!
    const n = (s: string) => Number(s.replace(/,/g, ''))
    expect(n(to!) - n(from!)).toBe(30) // the default demo-request rule
    expect(await m.locator('#feed li.score, #feed li.grade').count()).toBe(0)
    // A visit's events make one line (three named, the rest counted); an untitled page view
    // says where the visitor was: its path, never the query string.
    const now = Date.now()
    const page = await fetch(`${collector.url}/v1/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${btoa(`${collector.writeKey}:`)}`,
      },
      body: JSON.stringify({
        batch: [
          {
            type: 'page',
            anonymousId,
            timestamp: new Date(now - 1000).toISOString(),
            properties: { url: 'https://northwind.example/case-studies/acme?token=s3cret' },
          },
          ...['Pricing Calculator Used', 'Docs Searched', 'Video Played', 'Guide Downloaded'].map(
            (event, i) => ({
              type: 'track',
              anonymousId,
              timestamp: new Date(now + i).toISOString(),
              event,
            }),
          ),
        ],
      }),
    })
    expect(page.status).toBe(200)
    const viewed = m.locator('#feed li.event', {
      hasText:
        'Grace Hopper: Page view /case-studies/acme · Pricing Calculator Used · Docs Searched · +2',
    })
    await viewed.first().waitFor({ timeout: 15_000 })
    expect(await m.locator('#feed').innerText()).not.toContain('s3cret')
    expect(m.url()).toBe(url)
    await m.screenshot({ path: `${shots}dashboard-live.png` })

    // Rules: a broken edit is refused inline; a real one rescores and the profile changes.
    await m.goto(`${collector.url}/app/contacts/${contact.id}`)
    const withDemo = await totalOf(m)
    await m.goto(`${collector.url}/app/rules`)
    await m.click('#json summary') // the JSON view, under the visual builder
    const rules = JSON.parse(await m.locator('textarea[name=rules]').inputValue())
    await m.locator('textarea[name=rules]').fill('{"rules": [')
    await m.click('#json button[value=save]')
    await expect.poll(() => m.locator('#issues').innerText()).toContain('Invalid JSON')
    const pricing = rules.rules.find((r: { id: string }) => r.id === 'pricing-page')
    pricing.points += 25
    await m.locator('textarea[name=rules]').fill(JSON.stringify(rules, null, 2))
    await m.click('#json button[value=save]')
    await expect
      .poll(() => m.locator('#saved').innerText())
      .toMatch(/Saved version 1: rescored \d+ contacts/)
    await m.goto(`${collector.url}/app/contacts/${contact.id}`)
    const after = await totalOf(m)
    expect(after).toBeGreaterThan(withDemo + 24)
    expect(after).toBeLessThan(withDemo + 26)
    await m.screenshot({ path: `${shots}dashboard-profile-after-rule.png`, fullPage: true })

    await m.goto(`${collector.url}/app/contacts`)
    await m.screenshot({ path: `${shots}dashboard-contacts.png` })
    await m.goto(`${collector.url}/app`)
    await m.screenshot({ path: `${shots}dashboard-overview.png`, fullPage: true })
    await marketer.close()
  })
})
