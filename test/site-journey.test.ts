// A visitor's journey through the example site (examples/site) in real Chromium, with the full
// script-tag build and the real collector on loopback, checked through the collector's read API:
// everything the zero-code capture saw must end up on ONE contact. Plus a page the SDK was never
// tuned for (test/fixtures/odd-form): unusual markup, and secrets that must never be stored.
// The chat widget on chat.html is a stand-in for Crisp (examples/site/chat-stand-in.js), since a
// third-party chat cloud cannot run here.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, type Page } from 'playwright-core'
import { ensureSdkBuilt, launchChromium } from './support/chromium.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollector } from './support/collector.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const SITE = join(root, 'examples/site')
const ODD_FORM = join(root, 'test/fixtures/odd-form/odd-form.html')
const SDK_DIR = join(root, 'packages/sdk')
const BUNDLE = join(SDK_DIR, 'dist/lodestone.iife.js')
const CHAT_ADDON = join(SDK_DIR, 'dist/lodestone.chat.iife.js')

const PASSWORD = 'Tr0ub4dor&3-never-stored'
const CARD = '4111 1111 1111 1111' // a Luhn-valid test card number
const EMAIL = 'grace.hopper@navy.example'

let collector: Awaited<ReturnType<typeof startCollector>>
let site: { url: string; stop(): Promise<void> }
let browser: Browser

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.pdf': 'application/pdf',
}

/** Serves the example site on 127.0.0.1 with its placeholders filled in, and /sdk.js. */
async function serveSite(collectorUrl: string, writeKey: string) {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const file =
      path === '/sdk.js'
        ? BUNDLE
        : path === '/sdk-chat.js'
          ? CHAT_ADDON
          : path === '/odd-form.html'
            ? ODD_FORM
            : join(SITE, path === '/' ? 'index.html' : path.replace(/^\/+/, ''))
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found')
      return
    }
    let body: Buffer | string = readFileSync(file)
    if (file.endsWith('.html'))
      body = body
        .toString('utf8')
        .replaceAll('__WRITE_KEY__', writeKey)
        .replaceAll('__HOST__', collectorUrl)
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    })
    res.end(body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  }
}

beforeAll(async () => {
  ensureSdkBuilt()
  collector = await startCollector()
  site = await serveSite(collector.url, collector.writeKey)
  browser = await launchChromium()
}, 300_000) // a stale bundle is rebuilt first: rollup + terser take a while on a busy machine

afterAll(async () => {
  await browser?.close()
  await site?.stop()
  await collector?.stop()
})

// ---- the collector's read API (secret key) ----

interface Contact {
  id: string
  traits: Record<string, unknown>
  identities: { kind: string; value: string }[]
  score: { total: number; engagement: number; fit: number; breakdown: { rule: string }[] }
  subscriptions: Record<
    string,
    { status: string; history?: { status: string; form?: string; page?: string }[] }
  >
}
interface ApiEvent {
  type: string
  event?: string | null
  properties?: Record<string, unknown>
  traits?: Record<string, unknown>
  context?: Record<string, unknown>
  contactId: string
}

async function api<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(collector.url + path, {
    headers: { Authorization: `Bearer ${collector.secretKey}` },
  })
  return { status: res.status, body: (await res.json()) as T }
}

async function contactEvents(id: string): Promise<ApiEvent[]> {
  const events: ApiEvent[] = []
  let cursor: string | null = null
  for (let i = 0; i < 20; i++) {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    const page = await api<{ events: ApiEvent[]; next: string | null }>(
      `/v1/contacts/${id}/events?limit=100${q}`,
    )
    events.push(...page.body.events)
    cursor = page.body.next
    if (!cursor) break
  }
  return events
}

/** Polls (bounded) until `done` holds for the contact found by `lookup`; returns the last read. */
async function waitForContact(lookup: string, done: (c: Contact, e: ApiEvent[]) => boolean) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const found = await api<Contact>(`/v1/contacts/lookup?${lookup}`)
    const events = found.status === 200 ? await contactEvents(found.body.id) : []
    if ((found.status === 200 && done(found.body, events)) || Date.now() > deadline)
      return { contact: found.body, events, status: found.status }
    await new Promise((r) => setTimeout(r, 300))
  }
}

const names = (events: ApiEvent[]) =>
  events.map((e) => (e.type === 'track' ? e.event : e.type) ?? '')

// ---- the browser side ----

const ready = (page: Page) =>
  page.waitForFunction(
    () => (window as unknown as { lodestone?: { loaded?: boolean } }).lodestone?.loaded === true,
  )
const anonymousId = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { lodestone: { user(): { anonymousId(): string } } }).lodestone
      .user()
      .anonymousId(),
  )

async function visit(page: Page, path: string) {
  await page.goto(site.url + path)
  await ready(page)
  // Reading and scrolling: engagement counts visible, interacted time and scroll depth.
  await page.mouse.move(200, 200)
  await page.mouse.wheel(0, 600)
  await page.waitForTimeout(300)
}

describe('example site journey in Chromium', () => {
  it('browse, register, set preferences, chat and download: one contact holds it all', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()

    await visit(page, '/index.html')
    const aid = await anonymousId(page)
    await page.click('nav a[href="pricing.html"]')
    await ready(page)
    await visit(page, '/demo.html')

    // Webinar registration (SPA-style handler: no navigation), newsletter ticked.
    await visit(page, '/webinar.html')
    expect(await anonymousId(page)).toBe(aid)
    await page.fill('#first-name', 'Grace')
    await page.fill('#last-name', 'Hopper')
    await page.fill('#work-email', EMAIL)
    await page.fill('#company', 'Navy Labs')
    await page.fill('#job-title', 'VP Engineering')
    await page.check('#newsletter')
    await page.click('#webinar-registration button[type=submit]')
    await page.waitForSelector('#registered', { state: 'visible' })
    // The account form on the same page: its password must never leave the page.
    await page.fill('#account-email', EMAIL)
    await page.fill('#account-password', PASSWORD)
    await page.click('#create-account button[type=submit]')
    await page.waitForSelector('#account-created', { state: 'visible' })

    // Subscription preferences: keep the newsletter, drop product updates, add events.
    await visit(page, '/preferences.html')
    await page.uncheck('input[data-lodestone-subscription="product-updates"]')
    await page.check('input[data-lodestone-subscription="events"]')
    await page.click('#email-preferences button[type=submit]')
    await page.waitForSelector('#saved', { state: 'visible' })

    // The chat stand-in (Crisp's $crisp API): a message, then contact details.
    await visit(page, '/chat.html')
    await page.waitForSelector('#chat-message')
    await page.fill('#chat-message', 'Can we get a demo for 40 seats?')
    await page.click('#chat-message-form button')
    await page.fill('#chat-name', 'Grace Hopper')
    await page.fill('#chat-email', EMAIL)
    await page.click('#chat-contact-form button')
    const chatVisitorId = await page.evaluate(() =>
      (window as unknown as { $crisp: { get(k: string): string } }).$crisp.get(
        'session:identifier',
      ),
    )

    // Back home for the whitepaper, then the visitor leaves.
    await visit(page, '/index.html')
    await page.click('#whitepaper')
    await page.waitForTimeout(1000)
    await context.close()

    const wanted = [
      'Form Submitted',
      'Subscription Preferences Updated',
      'Chat Started',
      'Chat Message Sent',
      'Chat Contact Captured',
      'File Downloaded',
      'Page Engaged',
      'identify',
      'page',
    ]
    const { contact, events, status } = await waitForContact(
      `anonymousId=${aid}`,
      (c, e) =>
        wanted.every((n) => names(e).includes(n)) &&
        c.subscriptions.events?.status === 'subscribed' &&
        c.identities.some((i) => i.kind.startsWith('external:')),
    )
    expect(status).toBe(200)

    // One contact, whichever identifier finds it.
    const byEmail = await api<Contact>(`/v1/contacts/lookup?email=${encodeURIComponent(EMAIL)}`)
    expect(byEmail.body.id).toBe(contact.id)
    const identities = contact.identities.map((i) => `${i.kind}=${i.value}`)
    expect(identities).toEqual(
      expect.arrayContaining([
        `anonymousId=${aid}`,
        `email=${EMAIL}`,
        `external:crisp_visitor_id=${chatVisitorId}`,
      ]),
    )
    expect(events.every((e) => e.contactId === contact.id)).toBe(true)

    // Traits from the form (and the chat).
    expect(contact.traits).toMatchObject({
      email: EMAIL,
      firstName: 'Grace',
      lastName: 'Hopper',
      company: 'Navy Labs',
      title: 'VP Engineering',
    })

    // Every kind of captured event, with what matters in it.
    const track = (name: string) => events.filter((e) => e.type === 'track' && e.event === name)
    const pages = events.filter((e) => e.type === 'page').map((e) => e.properties?.path)
    expect(pages).toEqual(
      expect.arrayContaining([
        '/index.html',
        '/pricing.html',
        '/demo.html',
        '/webinar.html',
        '/preferences.html',
        '/chat.html',
      ]),
    )
    const forms = track('Form Submitted').map((e) => e.properties?.formId)
    expect(forms).toEqual(
      expect.arrayContaining(['webinar-registration', 'create-account', 'email-preferences']),
    )
    const registration = track('Form Submitted').find(
      (e) => e.properties?.formId === 'webinar-registration',
    )!
    expect(registration.properties?.values).toMatchObject({ work_email: EMAIL })
    expect(track('Chat Started')[0]!.properties).toMatchObject({ provider: 'crisp' })
    expect(track('Chat Message Sent')[0]!.properties).toMatchObject({ messageCount: 1 })
    expect(track('Chat Message Sent')[0]!.properties).not.toHaveProperty('text') // not opted in
    expect(track('Chat Contact Captured').map((e) => e.properties?.email)).toContain(EMAIL)
    expect(track('File Downloaded')[0]!.properties).toMatchObject({
      fileName: 'whitepaper.pdf',
      extension: 'pdf',
    })
    const engaged = track('Page Engaged')
    expect(engaged.length).toBeGreaterThanOrEqual(3)
    expect(engaged.every((e) => Number(e.properties?.activeMs) > 0)).toBe(true)
    expect(Math.max(...engaged.map((e) => Number(e.properties?.maxScrollPercent)))).toBeGreaterThan(
      0,
    )

    // Subscription state per topic, with its audit trail.
    expect(contact.subscriptions.newsletter?.status).toBe('subscribed')
    expect(contact.subscriptions['product-updates']?.status).toBe('unsubscribed')
    expect(contact.subscriptions.events?.status).toBe('subscribed')
    expect(contact.subscriptions.newsletter?.history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: 'subscribed', form: 'webinar-registration' }),
      ]),
    )

    // Scored in real time.
    expect(contact.score.total).toBeGreaterThan(0)
    expect(contact.score.breakdown.length).toBeGreaterThan(0)

    // The password never reached the collector, in any stored event.
    const stored = JSON.stringify(await collector.events())
    expect(stored).not.toContain(PASSWORD)
    const account = track('Form Submitted').find((e) => e.properties?.formId === 'create-account')!
    expect(account.properties?.fields).not.toContain('password')
  })

  it('a page the SDK never saw: odd markup is understood, secrets are never stored', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await visit(page, '/odd-form.html')
    const aid = await anonymousId(page)
    const field = (label: string) => page.getByLabel(label, { exact: false })
    await field('Work e-mail').fill('ada@analytical.example')
    await field('Full name').fill('Ada Lovelace')
    await field('Organisation').fill('Analytical Engines')
    await page.fill('input[aria-labelledby="phone-label"]', '+44 20 7946 0018')
    await field('Choose a password').fill(PASSWORD)
    await field('Card').fill(CARD)
    await field('Anything else?').fill('Invoice to the Babbage account, please.')
    await page.click('#pay') // type="button": no submit event; the click path catches it
    await page.waitForSelector('#paid', { state: 'visible' })
    await page.waitForTimeout(300)
    await context.close()

    const { contact, events, status } = await waitForContact(`anonymousId=${aid}`, (c, e) =>
      names(e).includes('Form Submitted'),
    )
    expect(status).toBe(200)
    expect(contact.traits).toMatchObject({
      email: 'ada@analytical.example',
      name: 'Ada Lovelace',
      company: 'Analytical Engines',
      phone: '+442079460018', // the collector normalises phone numbers to E.164
    })
    const submitted = events.find((e) => e.type === 'track' && e.event === 'Form Submitted')!
    const values = submitted.properties?.values as Record<string, unknown>
    expect(Object.values(values)).toContain('Invoice to the Babbage account, please.')

    // Nothing anywhere in the store holds the password or the card number, in any spelling.
    const stored = JSON.stringify(await collector.events())
    expect(stored).not.toContain(PASSWORD)
    expect(stored).not.toContain(CARD)
    expect(stored).not.toContain(CARD.replaceAll(' ', ''))
    expect(submitted.properties?.fields).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/password|card/i)]),
    )
  })
})
