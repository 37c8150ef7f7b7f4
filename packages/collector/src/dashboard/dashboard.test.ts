import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { dashboardClient } from '../test-support/dashboard.js'

const RULES = {
  halfLifeDays: null, // no decay: points stay exact for the assertions
  grades: [{ name: 'cold' }, { name: 'warm', min: 20 }, { name: 'hot', min: 50 }],
  rules: [
    {
      id: 'demo',
      name: 'Requested a demo',
      kind: 'engagement',
      points: 25,
      conditions: { type: 'track', event: 'Demo Requested' },
    },
    {
      id: 'big-company',
      name: 'Big company',
      kind: 'fit',
      points: 30,
      conditions: { traits: { employees: { gte: 100 } } },
    },
  ],
}

const XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
let n = 0
const mid = () => `dash-${++n}-${Math.random().toString(36).slice(2)}`
const ids = (html: string) =>
  [...html.matchAll(/href="\/app\/contacts\/([0-9a-f-]{36})"/g)].map((m) => m[1]!)

/** Reads a Server-Sent Events response: `until(needle)` waits for text containing it. */
function sseReader(res: Response) {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  const until = async (needle: string) => {
    while (!text.includes(needle)) {
      const { value, done } = await reader.read()
      if (done) throw new Error('stream ended')
      text += decoder.decode(value)
    }
  }
  return { reader, until, text: () => text }
}

describe.each(BACKENDS)('dashboard (%s)', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  // The profile scores at the wall clock (decay), so the data is recent.
  let now = new Date()
  const dayAgo = (h: number) => new Date(Date.now() - 86_400_000 + h * 3_600_000).toISOString()

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store, () => now)
    expect((await t.put('/v1/scoring/rules', RULES)).status).toBe(200)
    // 120 contacts: every third one big (fit 30), every fourth asked for a demo (25).
    const batch = []
    for (let i = 0; i < 120; i++) {
      batch.push({
        type: 'identify',
        messageId: mid(),
        userId: `u${i}`,
        timestamp: dayAgo(0),
        traits: {
          email: `person${i}@example.com`,
          name: `Person ${i}`,
          employees: i % 3 === 0 ? 500 : 10,
          industry: i % 2 ? 'Software' : 'Retail',
        },
      })
      if (i % 4 === 0)
        batch.push({
          type: 'track',
          messageId: mid(),
          userId: `u${i}`,
          event: 'Demo Requested',
          timestamp: dayAgo(1),
        })
    }
    batch.push({
      type: 'identify',
      messageId: mid(),
      userId: 'evil',
      traits: { name: XSS, company: XSS, email: 'evil@example.com', [XSS]: XSS },
    })
    batch.push({
      type: 'track',
      messageId: mid(),
      userId: 'u1',
      event: 'Subscription Preferences Updated',
      properties: { topics: { newsletter: true }, source: 'webinar-form' },
    })
    const res = await t.post('/v1/batch', { batch })
    expect(res.status).toBe(200)
  })
  afterAll(() => store.close())

  it('sends pages and the live stream to sign-in without a session', async () => {
    const c = dashboardClient(t.app)
    const res = await c.get('/app/contacts?grade=hot')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/app/login?next=%2Fapp%2Fcontacts%3Fgrade%3Dhot')
    expect((await c.get('/app/live/stream')).status).toBe(401)
    const late = await c.post('/app/rules', { rules: '{}' })
    expect(late.status).toBe(401)
    // A form sent after the session ended is a page with a way to sign in, not the API's JSON.
    expect(late.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await late.text()).toContain('href="/app/login"')
  })

  it('signs in with e-mail and password into an HttpOnly, SameSite=Strict cookie holding a random token', async () => {
    const c = dashboardClient(t.app)
    // Members are made through the API by a key with the admin scope: never a write key.
    expect((await c.signIn(t.ws.writeKey)).status).toBe(403)
    expect((await c.signIn('sk_not-a-real-key')).status).toBe(401)
    expect(c.jar.has('lodestone_session')).toBe(false)

    const res = await c.signIn(t.ws.secretKey)
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/app')
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('lodestone_session='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).not.toMatch(/Secure/)
    expect(cookie).not.toContain(t.ws.secretKey.slice(3, 20))
    expect(cookie).not.toContain(res.password)
    const page = await c.get('/app')
    expect(page.status).toBe(200)
    const csp = page.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/default-src 'none'; script-src 'nonce-[^']+'; style-src 'nonce-/)
    expect(csp).toMatch(/frame-ancestors 'none'/)
    // The page's inline style carries the very nonce the policy allows.
    const nonce = /style-src 'nonce-([^']+)'/.exec(csp)![1]!
    expect(await page.text()).toContain(`<style nonce="${nonce}"`)
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(page.headers.get('strict-transport-security')).toBeNull()

    // The same person again through /app/login; a wrong password is refused.
    const again = dashboardClient(t.app)
    expect((await again.signInWith(res.email, 'not-the-password')).status).toBe(401)
    expect(again.jar.has('lodestone_session')).toBe(false)
    expect((await again.signInWith(res.email.toUpperCase(), res.password)).status).toBe(303)
    expect((await again.get('/app/contacts')).status).toBe(200)
  })

  it('marks the cookie Secure over https', async () => {
    const c = dashboardClient(t.app, 'https://dash.example')
    const res = await c.signIn(t.ws.secretKey)
    expect(res.status).toBe(303)
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('lodestone_session='))!
    expect(cookie).toMatch(/Secure/)
  })

  it('refuses a sign-in form posted without its login challenge (login CSRF)', async () => {
    const c = dashboardClient(t.app)
    const member = await dashboardClient(t.app).signIn(t.ws.secretKey)
    const res = await c.post('/app/login', {
      email: member.email,
      password: member.password,
      _login: 'forged',
    })
    expect(res.status).toBe(403)
    expect(c.jar.has('lodestone_session')).toBe(false)
  })

  it('rejects tampered, revoked, idle and expired sessions', async () => {
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const token = c.jar.get('lodestone_session')!
    expect(token).toMatch(/^[\w-]{43}$/)
    expect((await c.get('/app/contacts')).status).toBe(200)

    // one character changed
    const flipped = token[5] === 'a' ? 'b' : 'a'
    c.jar.set('lodestone_session', token.slice(0, 5) + flipped + token.slice(6))
    expect((await c.get('/app/contacts')).status).toBe(303)

    c.jar.set('lodestone_session', token)
    expect((await c.get('/app/contacts')).status).toBe(200)
    const before = now
    // idle for longer than the idle expiry (12 h)
    now = new Date(now.getTime() + 13 * 3_600_000)
    try {
      expect((await c.get('/app/contacts')).status).toBe(303)
    } finally {
      now = before
    }

    // busy, but past the absolute expiry (7 days)
    const busy = dashboardClient(t.app)
    await busy.signIn(t.ws.secretKey)
    try {
      for (let h = 0; h <= 7 * 24; h += 11) {
        now = new Date(before.getTime() + h * 3_600_000)
        expect((await busy.get('/app/live')).status, `after ${h} h`).toBe(200)
      }
      now = new Date(before.getTime() + 7 * 86_400_000 + 60_000)
      expect((await busy.get('/app/live')).status).toBe(303)
    } finally {
      now = before
    }

    // a cookie copied before sign-out is refused after it
    const d = dashboardClient(t.app)
    await d.signIn(t.ws.secretKey)
    const copied = d.jar.get('lodestone_session')!
    expect((await d.post('/app/logout', { _csrf: await d.csrf() })).status).toBe(303)
    d.jar.set('lodestone_session', copied)
    expect((await d.get('/app/contacts')).status).toBe(303)
  })

  it('checks the CSRF token on every form post', async () => {
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const token = await c.csrf()
    expect(token.length).toBeGreaterThan(20)
    expect((await c.post('/app/rules', { rules: JSON.stringify(RULES) })).status).toBe(403)
    expect(
      (
        await c.post('/app/rules', {
          rules: JSON.stringify(RULES),
          _csrf: token.slice(0, -2) + 'xx',
        })
      ).status,
    ).toBe(403)
    expect((await c.post('/app/logout', {})).status).toBe(403)

    // another session's token is no good here
    const o = dashboardClient(t.app)
    await o.signIn(t.ws.secretKey)
    const otherToken = await o.csrf()
    expect(otherToken).not.toBe(token)
    expect((await c.post('/app/logout', { _csrf: otherToken })).status).toBe(403)

    const out = await c.post('/app/logout', { _csrf: token })
    expect(out.status).toBe(303)
    expect(c.jar.has('lodestone_session')).toBe(false)
    expect((await c.get('/app')).status).toBe(303)
  })

  it('renders an XSS payload stored in traits as text', async () => {
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const list = await (await c.get('/app/contacts?q=evil')).text()
    expect(list).toContain(
      '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;',
    )
    expect(list).not.toContain('<img src=x')
    expect(list).not.toContain('<script>alert')
    const [evil] = ids(list)
    expect(evil).toBeDefined()
    const profile = await (await c.get(`/app/contacts/${evil}`)).text()
    expect(profile).toContain('&lt;script&gt;alert(2)&lt;/script&gt;')
    expect(profile).not.toContain('<script>alert')
    expect(profile).not.toContain('<img src=x')
  })

  it('lists contacts by score with keyset pages that neither skip nor repeat', async () => {
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const seen: string[] = []
    const totals: number[] = []
    let path: string | null = '/app/contacts'
    let pages = 0
    while (path && pages < 10) {
      const html: string = await (await c.get(path)).text()
      seen.push(...ids(html))
      totals.push(...[...html.matchAll(/data-score="(-?[\d.]+)"/g)].map((m) => Number(m[1])))
      const next: string | undefined = /rel="next" href="([^"]+)"/.exec(html)?.[1]
      path = next ? next.replace(/&amp;/g, '&') : null
      pages++
    }
    expect(pages).toBe(3)
    expect(seen).toHaveLength(121)
    expect(new Set(seen).size).toBe(121)
    expect(totals).toHaveLength(121)
    expect(totals).toEqual([...totals].sort((a, b) => b - a))
    expect(totals[0]).toBe(55)
  })

  it('bounds the rows a filtered page examines and continues the search from there', async () => {
    const found: string[] = []
    let cursor: string | undefined
    let windows = 0
    for (;;) {
      const page = await store.searchContacts(t.ws.id, {
        limit: 5,
        budget: 30,
        search: 'evil',
        cursor,
      })
      found.push(...page.contacts.map((c) => c.id))
      windows++
      if (!page.next) break
      expect(page.windowFull).toBe(true)
      expect(page.scanned).toBe(30)
      cursor = page.next
    }
    expect(found).toHaveLength(1)
    expect(windows).toBe(5) // 121 contacts, 30 a window
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const html = await (await c.get('/app/contacts?q=nobody-at-all')).text()
    expect(html).toContain('id="no-match"')
    expect(html).toContain('No contacts match these filters.')
  })

  it("a session sees only its own workspace's contacts", async () => {
    const mine = dashboardClient(t.app)
    await mine.signIn(t.ws.secretKey)
    const [id] = ids(await (await mine.get('/app/contacts?q=person5%40')).text())
    const other = await store.createWorkspace({ name: 'Elsewhere' })
    const c = dashboardClient(t.app)
    await c.signIn(other.secretKey)
    expect((await c.get(`/app/contacts/${id}`)).status).toBe(404)
    const list = await (await c.get('/app/contacts')).text()
    expect(ids(list)).toEqual([])
    expect(list).not.toContain('person5@example.com')
    // the other workspace has no contacts: its overview says what to do instead of charts
    const overview = await (await c.get('/app')).text()
    expect(overview).toContain('No data yet')
    expect(overview).toContain('id="empty-state"')
    expect(overview).toContain('href="/app/setup"')
    expect(overview).not.toContain('contacts by total score')
    expect(overview).not.toContain('<svg class="chart"')
    expect(overview).not.toContain('person5@example.com')
  })

  it('filters by search, grade, trait and subscription topic', async () => {
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const count = async (q: string) => ids(await (await c.get(`/app/contacts?${q}`)).text()).length
    expect(await count('q=person11')).toBe(11) // person11, person110..119
    expect(await count('q=Person%207')).toBe(1 + 10) // "Person 7", "Person 70".."Person 79"
    expect(await count('grade=hot')).toBe(10) // i % 12 === 0: big and a demo
    expect(await count('trait=industry&value=software')).toBe(50) // a full page of 60
    expect(await count('trait=industry&value=software&grade=warm')).toBe(20) // odd and big; demos are even
    expect(await count('topic=newsletter')).toBe(1)
    expect(await count('topic=nothing')).toBe(0)
    expect((await c.get('/app/contacts?cursor=bm9wZQ')).status).toBe(400)
    for (const keys of [
      ['x', 'y'],
      [1, 'not-a-uuid'],
      [{}, []],
      ['1e400', '00000000-0000-4000-8000-000000000000'],
      [null, null],
    ]) {
      const cursor = Buffer.from(JSON.stringify(keys)).toString('base64url')
      expect((await c.get(`/app/contacts?cursor=${cursor}`)).status, JSON.stringify(keys)).toBe(400)
    }
  })

  it('shows a profile with breakdown, score history, subscriptions and timeline', async () => {
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const [id] = ids(await (await c.get('/app/contacts?q=person12%40')).text())
    const html = await (await c.get(`/app/contacts/${id}`)).text()
    expect(html).toContain('Score 55')
    expect(html).toMatch(/Requested a demo <span class="muted small">demo<\/span>/)
    expect(html).toMatch(/Big company <span class="muted small">big-company<\/span>/)
    expect(html).toContain('+30')
    expect(html).toMatch(/<svg class="chart"[^>]*aria-label="Score over time"/)
    expect(html).toContain('Demo Requested')
    expect(html).toContain('person12@example.com')

    const [sub] = ids(await (await c.get('/app/contacts?topic=newsletter')).text())
    const subHtml = await (await c.get(`/app/contacts/${sub}`)).text()
    expect(subHtml).toContain('<strong>newsletter</strong>')
    expect(subHtml).toContain('webinar-form')

    expect((await c.get('/app/contacts/00000000-0000-4000-8000-000000000000')).status).toBe(404)
    expect((await c.get('/app/contacts/not-an-id')).status).toBe(404)
  })

  it('shows overview aggregates', async () => {
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const html = await (await c.get('/app')).text()
    expect(html).toContain('121 contacts by total score')
    expect(html).toMatch(/aria-label="New contacts per day"/)
    const perDay = [...html.matchAll(/<title>\d{4}-\d{2}-\d{2}: (\d+)<\/title>/g)]
    expect(perDay).toHaveLength(30)
    expect(perDay.reduce((sum, m) => sum + Number(m[1]), 0)).toBe(121)
    // hot leads: seen in the last week and graded hot
    expect(ids(html)).toHaveLength(10)
  })

  it('shows rule errors inline, keeps the text, and rescores on save', async () => {
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const _csrf = await c.csrf()
    const bad = await c.post('/app/rules', { _csrf, rules: '{"rules": [' })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('Invalid JSON')
    expect(badHtml).toContain('{&quot;rules&quot;: [</textarea>')

    const invalid = structuredClone(RULES) as { rules: { points: unknown }[] }
    invalid.rules[0]!.points = 'lots'
    const res = await c.post('/app/rules', { _csrf, rules: JSON.stringify(invalid) })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toMatch(/<code>rules\[0\]\.points<\/code>/)
    expect(html).toContain('&quot;lots&quot;')

    const [id] = ids(await (await c.get('/app/contacts?q=person12%40')).text())
    const better = structuredClone(RULES)
    better.rules[0]!.points = 40
    const saved = await c.post('/app/rules', { _csrf, rules: JSON.stringify(better) })
    expect(saved.status).toBe(303)
    const location = saved.headers.get('location')!
    expect(location).toMatch(/^\/app\/rules\?saved=\d+&rescored=121&changed=\d+$/)
    expect(await (await c.get(location)).text()).toMatch(/Saved version \d+: rescored 121 contacts/)
    expect(await (await c.get(`/app/contacts/${id}`)).text()).toContain('Score 70')
    expect((await t.put('/v1/scoring/rules', RULES)).status).toBe(200)
  })

  it('streams new events with the session cookie', async () => {
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const ac = new AbortController()
    const res = await t.app.request('http://localhost/app/live/stream', {
      headers: { cookie: `lodestone_session=${c.jar.get('lodestone_session')}` },
      signal: ac.signal,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/)
    const { reader, until, text } = sseReader(res)
    await until('event: ready')
    await t.post('/v1/track', { userId: 'u3', event: 'Demo Requested', messageId: mid() })
    await until('"previousGrade":"warm"')
    // One message for the visit: the score and grade change it caused ride on its events entry
    // (dashboard/live-fold.ts), no score or grade message of their own.
    const events = text().slice(text().indexOf('event: events'))
    expect(events).toContain('"label":"Person 3"')
    expect(events).toMatch(
      /"changes":\{"[0-9a-f-]{36}":\{"previousTotal":[\d.]+,"total":[\d.]+,"grade":"\w+","previousGrade":"warm"\}\}/,
    )
    expect(text()).not.toContain('event: score')
    expect(text()).not.toContain('event: Contact Grade Changed')
    ac.abort()
    await reader.cancel().catch(() => {})
  })

  it("streams a fired alert in the reader's language, rebuilt from the rule", async () => {
    const put = await t.put('/v1/lifecycle/alert-rules', {
      alertRules: [{ id: 'went-hot', kind: 'grade_became', grade: 'hot' }],
    })
    expect(put.status).toBe(200)
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const ac = new AbortController()
    const res = await t.app.request('http://localhost/app/live/stream', {
      headers: {
        cookie: `lodestone_session=${c.jar.get('lodestone_session')}`,
        'accept-language': 'zh-CN,zh;q=0.9',
      },
      signal: ac.signal,
    })
    const { reader, until, text } = sseReader(res)
    await until('event: ready')
    // u6: fit 30 (warm) + a demo request (25) = hot, which fires the rule
    await t.post('/v1/track', { userId: 'u6', event: 'Demo Requested', messageId: mid() })
    await until('event: alert')
    await until('\n\n')
    const alert = text().slice(text().indexOf('event: alert'))
    expect(alert).toContain('"message":"等级变为 热线索"')
    expect(alert).not.toContain('Grade became')
    ac.abort()
    await reader.cancel().catch(() => {})
  })
})
