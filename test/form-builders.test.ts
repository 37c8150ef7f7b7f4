// Zero-code capture on the forms people really have (issue 17), in real Chromium with the
// collector's own /sdk.js and the real collector: pages written from the builders' public
// markup (test/fixtures/form-builders), one visitor each, then checked through the collector's
// read API and the database. Every visitor must end up as one contact found by e-mail with the
// documented traits and exactly one Form Submitted per submission; a second visit fills the
// bot traps; and no password, card number, nonce, token or trap value may appear in the SDK's
// request bodies or anywhere in the store.
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureSdkBuilt, launchChromium } from './support/chromium.js'
import { startCollector } from './support/collector.js'

const PAGES = fileURLToPath(new URL('./fixtures/form-builders/', import.meta.url))

const PASSWORD = 'Tr0ub4dor&3-login-secret'
const CARD = '4242 4242 4242 4242' // Luhn-valid, typed with spaces as people do
const TRAP = 'bot-filled-trap-7Qx' // what a bot types into every field, traps included
// Secrets the pages carry in hidden inputs (see the fixtures).
const HIDDEN_SECRETS = [
  'GF-STATE-TOKEN-3f9a1c7e',
  'WPF-TOKEN-8c1d2e3f4a5b',
  'WP-NONCE-5e6f7a8b9c',
  'HS-CONTEXT-TOKEN-1b2c3d',
  'CSRF-LOGIN-TOKEN-9z8y7x',
]
const NEVER_STORED = [PASSWORD, CARD, CARD.replaceAll(' ', ''), TRAP, ...HIDDEN_SECRETS]

let collector: Awaited<ReturnType<typeof startCollector>>
let browser: Browser
let site: Server
let siteUrl = ''
/** Every body the SDK sent to the collector, from every visit. */
const bodies: string[] = []

beforeAll(async () => {
  ensureSdkBuilt()
  collector = await startCollector()
  const tag = `<script async src="${collector.url}/sdk.js" data-write-key="${collector.writeKey}"></script>`
  site = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1)
    if (!/^[\w-]+\.html$/.test(name)) {
      req.resume() // a form post or an AJAX send
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      res.end('<!doctype html><title>Thanks</title><p id="thanks">Thanks!</p>')
      return
    }
    const html = readFileSync(join(PAGES, name), 'utf8').replace('__SDK__', tag)
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end(html)
  })
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r))
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`
  browser = await launchChromium()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((r) => site?.close(r))
  await collector?.stop()
})

// ---- the browser side ----

interface Visit {
  context: BrowserContext
  page: Page
  anonymousId: string
}

/** A new visitor (own cookies) on one page, with the SDK loaded; its batches are recorded. */
async function visit(file: string): Promise<Visit> {
  const context = await browser.newContext()
  context.on('request', (r) => {
    if (r.url().startsWith(collector.url) && r.method() === 'POST') bodies.push(r.postData() ?? '')
  })
  const page = await context.newPage()
  await page.goto(`${siteUrl}/${file}`)
  await page.waitForFunction(
    () => (window as unknown as { lodestone?: { loaded?: boolean } }).lodestone?.loaded === true,
  )
  const anonymousId = await page.evaluate(() =>
    (window as unknown as { lodestone: { user(): { anonymousId(): string } } }).lodestone
      .user()
      .anonymousId(),
  )
  return { context, page, anonymousId }
}

/** The visitor leaves: the SDK's unload flush goes out, then the browser context closes. */
async function leave({ context, page }: Visit) {
  await page.waitForTimeout(300)
  await context.close()
}

/** Sets a field's value from script, as a bot does (traps are not visible to type into). */
const botFill = (page: Page, selector: string, value: string) =>
  page.locator(selector).evaluate((el, v) => ((el as HTMLInputElement).value = v), value)

// ---- the collector side ----

interface Contact {
  id: string
  traits: Record<string, unknown>
  identities: { kind: string; value: string }[]
}
interface ApiEvent {
  type: string
  event?: string | null
  properties?: Record<string, unknown>
  traits?: Record<string, unknown>
}

async function api<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(collector.url + path, {
    headers: { Authorization: `Bearer ${collector.secretKey}` },
  })
  return { status: res.status, body: (await res.json()) as T }
}

async function eventsOf(id: string): Promise<ApiEvent[]> {
  return (await api<{ events: ApiEvent[] }>(`/v1/contacts/${id}/events?limit=100`)).body.events
}

const submissions = (events: ApiEvent[]) =>
  events.filter((e) => e.type === 'track' && e.event === 'Form Submitted')

/** Polls (bounded) until the visitor's contact holds a Form Submitted and an identify. */
async function contactOf(anonymousId: string) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const found = await api<Contact>(`/v1/contacts/lookup?anonymousId=${anonymousId}`)
    const events = found.status === 200 ? await eventsOf(found.body.id) : []
    const done = submissions(events).length > 0 && events.some((e) => e.type === 'identify')
    if (done || Date.now() > deadline) {
      await new Promise((r) => setTimeout(r, 1000)) // a duplicate would show up now
      return {
        contact: found.body,
        events: found.status === 200 ? await eventsOf(found.body.id) : [],
      }
    }
    await new Promise((r) => setTimeout(r, 300))
  }
}

/** One contact per visitor: the contact found by e-mail is the visitor's. */
async function expectOneContact(
  v: Visit,
  email: string,
  traits: Record<string, unknown>,
  formId: string,
) {
  const { contact, events } = await contactOf(v.anonymousId)
  const byEmail = await api<Contact>(`/v1/contacts/lookup?email=${encodeURIComponent(email)}`)
  expect(byEmail.status).toBe(200)
  expect(byEmail.body.id).toBe(contact.id)
  expect(contact.traits).toMatchObject({ email, ...traits })
  const sent = submissions(events)
  expect(sent.map((e) => e.properties?.formId)).toEqual([formId]) // exactly one submission
  expect(sent[0]!.properties).not.toHaveProperty('probableBot')
  return { contact, submitted: sent[0]! }
}

describe('form builders in Chromium', () => {
  it('Gravity Forms payment form: names from the name field, never the cardholder; no card number', async () => {
    const v = await visit('gravity-forms.html')
    await v.page.fill('#input_3_1_3', 'Grace')
    await v.page.fill('#input_3_1_6', 'Hopper')
    await v.page.fill('#input_3_2', 'grace@gravity.example')
    await v.page.fill('#input_3_4', '+1 415 555 0100')
    await v.page.locator('#input_3_5_1').pressSequentially(CARD)
    await v.page.fill('#input_3_5_5', 'NAVY PAYMENTS OFFICE')
    await v.page.click('#gform_submit_button_3')
    await v.page.waitForSelector('#thanks')
    await leave(v)
    const { contact, submitted } = await expectOneContact(
      v,
      'grace@gravity.example',
      { firstName: 'Grace', lastName: 'Hopper', name: 'Grace Hopper', phone: '+14155550100' },
      'gform_3',
    )
    expect(JSON.stringify(contact.traits)).not.toContain('NAVY PAYMENTS OFFICE')
    expect(submitted.properties?.fields).not.toContain('input_5.1')
    expect(submitted.properties?.fields).not.toContain('input_99') // the trap
  })

  it('WPForms: a visitor, then a bot that fills the honeypot labelled "Name"', async () => {
    const v = await visit('wpforms.html')
    await v.page.fill('#wpforms-9-field_0', 'Katherine')
    await v.page.fill('#wpforms-9-field_0-last', 'Johnson')
    await v.page.fill('#wpforms-9-field_1', 'katherine@wpforms.example')
    await v.page.fill('#wpforms-9-field_2', 'Orbit calculations, please.')
    await v.page.click('#wpforms-submit-9')
    await v.page.waitForSelector('#thanks')
    await leave(v)
    await expectOneContact(
      v,
      'katherine@wpforms.example',
      { firstName: 'Katherine', lastName: 'Johnson', name: 'Katherine Johnson' },
      'wpforms-form-9',
    )

    // Second visit: a bot fills every field, the hidden trap included.
    const bot = await visit('wpforms.html')
    for (const [selector, value] of [
      ['#wpforms-9-field_0', 'Bot'],
      ['#wpforms-9-field_0-last', 'Net'],
      ['#wpforms-9-field_1', 'bot@wpforms-spam.example'],
      ['#wpforms-9-field-hp', TRAP],
    ])
      await botFill(bot.page, selector!, value!)
    await bot.page.click('#wpforms-submit-9')
    await bot.page.waitForSelector('#thanks')
    await leave(bot)
    await expectBot(bot, 'bot@wpforms-spam.example', 'wpforms-form-9')
  })

  it('Elementor: full name split, AJAX submit, the hidden honeypot left out', async () => {
    const v = await visit('elementor.html')
    await v.page.fill('#form-field-name', 'Ada Lovelace')
    await v.page.fill('#form-field-email', 'ada@elementor.example')
    await v.page.fill('#form-field-message', 'Engines.')
    await v.page.click('.elementor-button')
    await v.page.waitForSelector('#done', { state: 'visible' })
    await leave(v)
    const { submitted } = await expectOneContact(
      v,
      'ada@elementor.example',
      { name: 'Ada Lovelace', firstName: 'Ada', lastName: 'Lovelace' },
      'elementor-contact',
    )
    expect(submitted.properties?.formName).toBe('Contact form')
    expect(submitted.properties?.fields).toEqual([
      'form_fields[name]',
      'form_fields[email]',
      'form_fields[message]',
    ])
  })

  it('Ninja Forms rendered by script: the type="button" submit is caught once', async () => {
    const v = await visit('ninja-forms.html')
    await v.page.waitForSelector('#nf-field-6')
    await v.page.fill('#nf-field-5', 'Dorothy Vaughan')
    await v.page.fill('#nf-field-6', 'dorothy@ninja.example')
    await v.page.fill('#nf-field-8', 'NACA')
    await v.page.click('#nf-field-7')
    await v.page.waitForSelector('#done')
    await leave(v)
    const { contact, events } = await contactOf(v.anonymousId)
    const byEmail = await api<Contact>('/v1/contacts/lookup?email=dorothy%40ninja.example')
    expect(byEmail.body.id).toBe(contact.id)
    expect(contact.traits).toMatchObject({
      email: 'dorothy@ninja.example',
      name: 'Dorothy Vaughan',
      firstName: 'Dorothy',
      lastName: 'Vaughan',
      company: 'NACA',
    })
    expect(submissions(events)).toHaveLength(1)
  })

  it('HubSpot embed: fetch + preventDefault, property names as traits', async () => {
    const v = await visit('hubspot.html')
    await v.page.fill('#firstname-7f3e', 'Mary')
    await v.page.fill('#lastname-7f3e', 'Jackson')
    await v.page.fill('#email-7f3e', 'mary@hubspot.example')
    await v.page.fill('#company-7f3e', 'Langley')
    await v.page.fill('#jobtitle-7f3e', 'Engineer')
    await v.page.click('.hs-button')
    await v.page.waitForSelector('#done', { state: 'visible' })
    await leave(v)
    await expectOneContact(
      v,
      'mary@hubspot.example',
      { firstName: 'Mary', lastName: 'Jackson', company: 'Langley', title: 'Engineer' },
      'hsForm_7f3e',
    )
  })

  it('Mailchimp: a visitor, then a bot filling the off-screen b_ field', async () => {
    const v = await visit('mailchimp.html')
    await v.page.fill('#mce-EMAIL', 'linus@mailchimp.example')
    await v.page.fill('#mce-FNAME', 'Linus')
    await v.page.fill('#mce-LNAME', 'Torvalds')
    await v.page.click('#mc-embedded-subscribe')
    await v.page.waitForSelector('#thanks')
    await leave(v)
    const { submitted } = await expectOneContact(
      v,
      'linus@mailchimp.example',
      { firstName: 'Linus', lastName: 'Torvalds' },
      'mc-embedded-subscribe-form',
    )
    expect(submitted.properties?.fields).toEqual(['EMAIL', 'FNAME', 'LNAME'])

    const bot = await visit('mailchimp.html')
    await botFill(bot.page, '#mce-EMAIL', 'bot@mailchimp-spam.example')
    await botFill(bot.page, '[name^=b_]', TRAP)
    await bot.page.click('#mc-embedded-subscribe')
    await bot.page.waitForSelector('#thanks')
    await leave(bot)
    await expectBot(bot, 'bot@mailchimp-spam.example', 'mc-embedded-subscribe-form')
  })

  it('Webflow: name, email and company from a w-form', async () => {
    const v = await visit('webflow.html')
    await v.page.fill('#name', 'Margaret Hamilton')
    await v.page.fill('#email', 'margaret@webflow.example')
    await v.page.fill('#Company', 'MIT Instrumentation Lab')
    await v.page.click('.w-button')
    await v.page.waitForSelector('.w-form-done', { state: 'visible' })
    await leave(v)
    await expectOneContact(
      v,
      'margaret@webflow.example',
      {
        name: 'Margaret Hamilton',
        firstName: 'Margaret',
        lastName: 'Hamilton',
        company: 'MIT Instrumentation Lab',
      },
      'email-form',
    )
  })

  it('a Chinese placeholder-only form: 王芳 split into family and given name, the mobile kept', async () => {
    const v = await visit('chinese.html')
    await v.page.fill('[placeholder=姓名]', '王芳')
    await v.page.fill('[placeholder=手机号]', '13800138000')
    await v.page.fill('[placeholder=邮箱]', 'wangfang@example.cn')
    await v.page.fill('[placeholder=公司名称]', '示例科技有限公司')
    await v.page.fill('[placeholder=职位]', '市场总监')
    await v.page.click('button')
    await v.page.waitForSelector('#done', { state: 'visible' })
    await leave(v)
    const { contact } = await expectOneContact(
      v,
      'wangfang@example.cn',
      {
        name: '王芳',
        lastName: '王',
        firstName: '芳',
        company: '示例科技有限公司',
        title: '市场总监',
      },
      'lead-cn',
    )
    expect(String(contact.traits.phone)).toContain('13800138000')

    // A bot's visit: the trap is recognised by its layout and attribute alone.
    const bot = await visit('chinese.html')
    await botFill(bot.page, '[placeholder=姓名]', '机器人')
    await botFill(bot.page, '[placeholder=邮箱]', 'bot@cn-spam.example')
    await botFill(bot.page, '[name=website]', TRAP)
    await bot.page.click('button')
    await bot.page.waitForSelector('#done', { state: 'visible' })
    await leave(bot)
    await expectBot(bot, 'bot@cn-spam.example', 'lead-cn')
  })

  it('login with a show-password toggle: one submission, the password never leaves the page', async () => {
    const v = await visit('login.html')
    await v.page.fill('#login-email', 'hedy@login.example')
    await v.page.fill('#login-password', PASSWORD)
    await v.page.click('#toggle') // shown: the password is now in a text field
    await v.page.click('#toggle')
    await v.page.click('#toggle')
    await v.page.click('button[type=submit]')
    await v.page.waitForSelector('#thanks')
    await leave(v)
    const { submitted } = await expectOneContact(v, 'hedy@login.example', {}, 'login')
    expect(submitted.properties?.fields).toEqual(['email'])
  })

  it('a multi-step form: "Continue" is not a submission; a fast final submit carries both steps', async () => {
    const v = await visit('multi-step.html')
    await v.page.fill('#ms-email', 'annie@steps.example')
    await v.page.fill('#ms-name', 'Annie Easley')
    await v.page.click('#continue')
    await v.page.fill('#ms-company', 'Lewis Research')
    await v.page.selectOption('#ms-size', '51-200')
    await v.page.click('#finish') // well within a second of "Continue"
    await v.page.waitForSelector('#thanks')
    await leave(v)
    const { submitted } = await expectOneContact(
      v,
      'annie@steps.example',
      {
        name: 'Annie Easley',
        firstName: 'Annie',
        lastName: 'Easley',
        company: 'Lewis Research',
        teamSize: '51-200',
      },
      'demo-steps',
    )
    expect(submitted.properties?.values).toMatchObject({
      work_email: 'annie@steps.example',
      company: 'Lewis Research',
    })
  })

  it.each([
    ['one shadow root deep', '#one', 'wc-signup', 'barbara@component.example'],
    ['nested shadow roots', '#two', 'wc-nested', 'frances@component.example'],
  ])('a web component form, %s', async (_, host, formId, email) => {
    const v = await visit('web-component.html')
    const form = v.page.locator(`${host} form`) // Playwright's CSS pierces open shadow roots
    await form.locator('[name=email]').fill(email)
    await form.locator('[name=fullname]').fill('Barbara Liskov')
    await form.locator('[name=company]').fill('CLU Inc')
    await form.locator('button').click()
    await v.page.locator(`${host} p`).waitFor({ state: 'visible' })
    await leave(v)
    await expectOneContact(
      v,
      email,
      { name: 'Barbara Liskov', firstName: 'Barbara', lastName: 'Liskov', company: 'CLU Inc' },
      formId,
    )
  })

  it('nothing secret in what the SDK sent or anywhere in the store', async () => {
    expect(bodies.length).toBeGreaterThan(10)
    const sent = bodies.join('\n')
    expect(sent).toContain('Form Submitted') // the bodies were really read
    for (const secret of NEVER_STORED) expect(sent).not.toContain(secret)

    const sql = collector.store.sql
    const tables = await sql<{ name: string }[]>`select table_name as name
      from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`
    expect(tables.map((t) => t.name)).toContain('events')
    let dump = ''
    for (const { name } of tables)
      dump += JSON.stringify(await sql.unsafe(`select * from "${name.replaceAll('"', '""')}"`))
    expect(dump).toContain('grace@gravity.example') // the dump really holds the data
    for (const secret of NEVER_STORED) expect(dump).not.toContain(secret)
  })
})

/** A bot's visit: one Form Submitted marked probableBot, no traits, no contact by its e-mail. */
async function expectBot(bot: Visit, email: string, formId: string) {
  const deadline = Date.now() + 30_000
  let events: ApiEvent[] = []
  for (;;) {
    const found = await api<Contact>(`/v1/contacts/lookup?anonymousId=${bot.anonymousId}`)
    events = found.status === 200 ? await eventsOf(found.body.id) : []
    if (submissions(events).length || Date.now() > deadline) break
    await new Promise((r) => setTimeout(r, 300))
  }
  await new Promise((r) => setTimeout(r, 1000))
  const sent = submissions(events)
  expect(sent).toHaveLength(1)
  expect(sent[0]!.properties).toMatchObject({ formId, probableBot: true })
  expect(events.some((e) => e.type === 'identify')).toBe(false)
  const byEmail = await api<Contact>(`/v1/contacts/lookup?email=${encodeURIComponent(email)}`)
  expect(byEmail.status).toBe(404)
}
