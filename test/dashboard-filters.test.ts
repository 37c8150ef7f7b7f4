// The contacts page in real Chromium against the API: for each filter and each sortable column
// (both directions), the rows the page shows are the rows `GET /v1/contacts` answers for the
// same query with a read-scoped API key — never compared with the database. Then the bulk
// "add to a list" action (ticked contacts, then every contact matching a filter) and the
// language a person picks following them to another browser (docs/dashboard.md).
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './support/chromium.js'
import { startCollector } from './support/collector.js'
import { signInAsOwner } from './support/dashboard-owner.js'

let collector: Awaited<ReturnType<typeof startCollector>>
let browser: Browser
let readKey = ''

const DAY = 86_400_000
const day = (d: number) => new Date(Date.now() - d * DAY).toISOString()

/** 60 people: varied names, plans, first-touch campaigns, activity, orders. */
const people = Array.from({ length: 60 }, (_, i) => ({
  userId: `f${i}`,
  traits: {
    ...(i % 6 === 0
      ? { firstName: `Lin${i}`, lastName: '王' }
      : { name: `${String.fromCharCode(65 + ((i * 11) % 26))}ster ${i}` }),
    email: `${String.fromCharCode(97 + ((i * 7) % 26))}${i}@example.com`,
    plan: i % 3 === 0 ? 'Pro' : 'free',
    employees: i % 4 === 0 ? 900 : 12,
  },
  source: i % 4 === 1 ? 'google' : i % 4 === 2 ? 'newsletter' : null,
  campaign: i % 4 === 1 ? 'spring' : null,
  first: 80 - i,
  last: (i * 7) % 50,
}))

async function api(path: string, init: RequestInit = {}, key = collector.secretKey) {
  return fetch(`${collector.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      ...(init.headers as Record<string, string>),
    },
  })
}

beforeAll(async () => {
  collector = await startCollector()
  browser = await launchChromium()
  // A read-only API key: what an integration reading contacts would hold.
  const key = await api('/v1/keys', {
    method: 'POST',
    body: JSON.stringify({ name: 'reader', scopes: ['read'] }),
  })
  expect(key.status).toBe(201)
  readKey = ((await key.json()) as { key: string }).key
  const batch: unknown[] = []
  for (const [i, p] of people.entries()) {
    const utm = p.source
      ? `?utm_source=${p.source}${p.campaign ? `&utm_campaign=${p.campaign}` : ''}`
      : ''
    batch.push({
      type: 'page',
      userId: p.userId,
      timestamp: day(p.first),
      context: { page: { url: `https://shop.example/${utm}`, path: '/' } },
      properties: { path: '/' },
    })
    batch.push({ type: 'identify', userId: p.userId, traits: p.traits, timestamp: day(p.first) })
    batch.push({
      type: 'page',
      userId: p.userId,
      timestamp: day(p.last),
      properties: { path: i % 2 ? '/pricing' : '/blog' },
    })
    if (i % 9 === 0)
      batch.push({
        type: 'track',
        userId: p.userId,
        event: 'Ticket Created',
        timestamp: day(p.last),
        properties: { ticketId: `t${i}`, category: 'billing', subject: 'Invoice' },
      })
    if (i % 7 === 0)
      batch.push({
        type: 'track',
        userId: p.userId,
        event: 'Subscription Preferences Updated',
        timestamp: day(p.last),
        properties: { topics: { newsletter: 'subscribed' }, source: 'form' },
      })
    if (i % 5 === 0)
      batch.push({
        type: 'track',
        userId: p.userId,
        event: 'Order Completed',
        timestamp: day(p.last),
        properties: { orderId: `o${i}`, revenue: 100 + i * 250, currency: 'USD' },
      })
  }
  const res = await api('/v1/batch', { method: 'POST', body: JSON.stringify({ batch }) })
  expect(res.status).toBe(200)
  expect(((await res.json()) as { rejected?: unknown[] }).rejected ?? []).toEqual([])
})

afterAll(async () => {
  await browser?.close()
  await collector?.stop()
})

async function owner(
  locale = 'en',
  viewport = { width: 1280, height: 900 },
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport, locale })
  const page = await ctx.newPage()
  await signInAsOwner(page, collector, '/app/contacts')
  return { ctx, page }
}

const shownIds = (page: Page) =>
  page
    .locator('#contacts tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')!))
    .catch(() => [] as string[])

/** What the API lists for the page's own query string (the page's default order is score). */
async function apiIds(page: Page): Promise<string[]> {
  const q = new URL(page.url()).searchParams
  if (!q.has('sort')) q.set('sort', 'score')
  q.set('limit', '50')
  const res = await api(`/v1/contacts?${q}`, {}, readKey)
  expect(res.status, q.toString()).toBe(200)
  return ((await res.json()) as { contacts: { id: string }[] }).contacts.map((c) => c.id)
}

describe('the contacts page agrees with GET /v1/contacts', () => {
  it(
    'for every filter of the form and every sortable column, both ways',
    { timeout: 300_000 },
    async () => {
      const { ctx, page } = await owner()
      const checked: string[] = []
      const compare = async (what: string) => {
        const shown = await shownIds(page)
        expect(shown, what).toEqual(await apiIds(page))
        checked.push(`${what}: ${shown.length}`)
        return shown
      }
      // The filters, set in the form as a person does.
      const filters: [string, (p: Page) => Promise<unknown>][] = [
        ['search', (p) => p.fill('input[name=q]', 'ster')],
        ['grade', (p) => p.selectOption('select[name=grade]', { index: 1 })],
        ['score from', (p) => p.fill('input[name=scoreMin]', '1')],
        ['score to', (p) => p.fill('input[name=scoreMax]', '5')],
        ['lifetime value', (p) => p.fill('input[name=ltvMin]', '1000')],
        ['churn risk', (p) => p.fill('input[name=churnMin]', '10')],
        ['open tickets', (p) => p.fill('input[name=ticketsMin]', '1')],
        ['seen within 30 days', (p) => p.selectOption('select[name=seen]', '30')],
        ['not seen for 30 days', (p) => p.selectOption('select[name=seen]', '-30')],
        ['source', (p) => p.fill('input[name=source]', 'Google')],
        ['campaign', (p) => p.fill('input[name=campaign]', 'spring')],
        ['topic', (p) => p.fill('input[name=topic]', 'newsletter')],
        [
          'trait',
          async (p) => {
            await p.fill('input[name=trait]', 'plan')
            await p.fill('input[name=value]', 'pro')
          },
        ],
      ]
      const nonEmpty: string[] = []
      for (const [what, set] of filters) {
        await page.goto(`${collector.url}/app/contacts`)
        await set(page)
        await page.click('#filters button[type=submit]')
        await page.waitForLoadState()
        if ((await compare(what)).length) nonEmpty.push(what)
        // The same filter in another order: last seen, oldest first (by the column's header
        // when there is a table; an empty result has none).
        if (await page.locator('#sort-lastSeen').count()) {
          await page.click('#sort-lastSeen')
          await page.click('#sort-lastSeen')
        } else {
          const url = new URL(page.url())
          url.searchParams.set('sort', 'lastSeen-asc')
          await page.goto(url.toString())
        }
        await page.waitForURL('**sort=lastSeen-asc**')
        await compare(`${what}, last seen ascending`)
      }
      // Not vacuous: every filter keeps someone.
      expect(nonEmpty.length, checked.join('\n')).toBe(filters.length)

      // Every sortable column, by clicking its header twice.
      await page.goto(`${collector.url}/app/contacts`)
      const columns = await page
        .locator('#contacts thead a[id^=sort-]')
        .evaluateAll((as) => as.map((a) => a.id))
      expect(columns.length).toBeGreaterThanOrEqual(8)
      for (const id of columns) {
        for (const click of [1, 2]) {
          await page.click(`#${id}`)
          await page.waitForLoadState()
          const sort = new URL(page.url()).searchParams.get('sort') ?? 'score'
          const shown = await compare(`${id} click ${click} (${sort})`)
          expect(shown.length).toBe(50)
          expect(await page.locator(`#${id}`).locator('..').getAttribute('aria-sort')).toMatch(
            /ascending|descending/,
          )
        }
      }
      // A filter and a sort together, then the next page (keyset cursor) too.
      await page.goto(`${collector.url}/app/contacts?trait=plan&value=free&sort=name-asc`)
      await compare('free plan by name')
      await page.goto(`${collector.url}/app/contacts?sort=email-asc`)
      await page.click('a[rel=next]')
      await page.waitForURL('**cursor=**')
      await compare('second page by email')
      console.log(`[dashboard-filters] rows shown per check:\n${checked.join('\n')}`)
      await ctx.close()
    },
  )

  it('adds ticked contacts, then every contact matching a filter, to a list', async () => {
    const { ctx, page } = await owner()
    await page.goto(`${collector.url}/app/contacts?sort=name-asc`)
    const ticked = (await shownIds(page)).slice(0, 2)
    for (const id of ticked) await page.check(`tr[data-id="${id}"] input[type=checkbox]`)
    await page.fill('#bulk-new-list', 'Trade fair 2026')
    await page.click('#add-to-list')
    await page.locator('#notice').waitFor()
    expect(await page.locator('#notice').innerText()).toContain(
      '2 contacts added to “Trade fair 2026”',
    )
    // The filters and sort are kept.
    expect(new URL(page.url()).searchParams.get('sort')).toBe('name-asc')
    const lists = (await (await api('/v1/lists', {}, readKey)).json()) as {
      lists: { id: string; name: string }[]
    }
    const list = lists.lists.find((l) => l.name === 'Trade fair 2026')!
    const members = async () =>
      (
        (await (await api(`/v1/lists/${list.id}/members?limit=1000`, {}, readKey)).json()) as {
          contacts: { id: string }[]
        }
      ).contacts
        .map((c) => c.id)
        .sort()
    expect(await members()).toEqual([...ticked].sort())

    // Every contact on the Pro plan, chosen by the filter rather than ticked one by one.
    await page.goto(`${collector.url}/app/contacts?trait=plan&value=pro`)
    const pro = await apiIds(page)
    expect(pro.length).toBeGreaterThan(2)
    await page.selectOption('#bulk-scope', 'all')
    await page.selectOption('#bulk-list', list.id)
    await page.click('#add-to-list')
    await page.locator('#notice').waitFor()
    const expected = [...new Set([...ticked, ...pro])].sort()
    expect(await members()).toEqual(expected)
    // "Show the list": the contacts page filtered to the list, as the API lists it.
    await page.click('#notice-link')
    await page.waitForURL(`**segment=${list.id}**`)
    expect((await shownIds(page)).sort()).toEqual(expected)
    expect(await shownIds(page)).toEqual(await apiIds(page))
    // The same list chosen in the filter form, with a sort.
    await page.goto(`${collector.url}/app/contacts?sort=firstSeen`)
    await page.selectOption('#filter-segment', list.id)
    await page.click('#filters button[type=submit]')
    await page.waitForURL(`**segment=${list.id}**`)
    expect((await shownIds(page)).sort()).toEqual(expected)
    expect(await shownIds(page)).toEqual(await apiIds(page))
    await ctx.close()
  })

  it('keeps the language the person picks for the next browser they sign in on', async () => {
    const first = await owner('en-US')
    expect(await first.page.locator('html').getAttribute('lang')).toBe('en')
    await first.page.click('nav.langs a[lang="zh-CN"]')
    await first.page.waitForURL('**/app/contacts')
    expect(await first.page.locator('h1').innerText()).toBe('联系人')
    await first.ctx.close()
    // Another browser, English everywhere, no language cookie: Chinese after sign-in.
    const second = await owner('en-US')
    expect(await second.page.locator('html').getAttribute('lang')).toBe('zh-CN')
    expect(await second.page.locator('#add-to-list').innerText()).toBe('加入列表')
    // Back to English there, for the tests that follow.
    await second.page.click('nav.langs a[lang="en"]')
    await second.page.waitForURL('**/app/contacts')
    expect(await second.page.locator('html').getAttribute('lang')).toBe('en')
    await second.ctx.close()
  })

  it('on a phone, the filters past search and grade and the bulk actions fold away until opened (the filters stay open while set), and the first contacts show on the first screen', async () => {
    const { ctx, page } = await owner('en', { width: 390, height: 844 })
    const summary = page.locator('#filters details.more > summary')
    expect(await page.locator('input[name=q]').isVisible()).toBe(true)
    expect(await page.locator('input[name=scoreMin]').isVisible()).toBe(false)
    expect(await summary.innerText()).toBe('More filters')
    const first = await page.locator('#contacts tbody tr').first().boundingBox()
    expect(first!.y + first!.height).toBeLessThan(844)
    // The bulk actions fold the same way; the exports stay out.
    expect(await page.locator('#export').isVisible()).toBe(true)
    expect(await page.locator('#add-to-list').isVisible()).toBe(false)
    await page.locator('#bulk details.more > summary').click()
    expect(await page.locator('#add-to-list').isVisible()).toBe(true)
    await summary.click()
    await page.fill('input[name=scoreMin]', '1')
    await page.click('#filters button[type=submit]')
    await page.waitForURL('**scoreMin=1**')
    // Set, they stay open and say how many are on; the table agrees with the API.
    expect(await page.locator('input[name=scoreMin]').isVisible()).toBe(true)
    expect(await summary.innerText()).toBe('More filters (1 on)')
    expect(await shownIds(page)).toEqual(await apiIds(page))
    await ctx.close()
    // On a wider screen they are one row of fields, no summary to open.
    const wide = await owner('en')
    expect(await wide.page.locator('input[name=scoreMin]').isVisible()).toBe(true)
    expect(await wide.page.locator('#filters details.more > summary').isVisible()).toBe(false)
    expect(await wide.page.locator('#add-to-list').isVisible()).toBe(true)
    await wide.ctx.close()
  })
})
