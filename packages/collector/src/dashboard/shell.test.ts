import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { dashboardClient } from '../test-support/dashboard.js'

// The shell every page shares: language (Accept-Language, then the person's choice), the
// navigation, and error pages inside the app. Rendering only: PGlite is enough.
describe('dashboard shell', () => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  beforeAll(async () => {
    store = await openTestStore('pglite')
    t = await createTestApp(store)
  })
  afterAll(() => store.close())

  const signedIn = async (acceptLanguage?: string) => {
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const get = async (path: string) =>
      (
        await t.app.request(`http://localhost${path}`, {
          headers: {
            cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(acceptLanguage ? { 'accept-language': acceptLanguage } : {}),
          },
        })
      ).text()
    return { c, get }
  }

  it('speaks the browser language until the person picks one, then keeps their choice', async () => {
    const { c, get } = await signedIn('zh-CN,zh;q=0.9,en;q=0.5')
    const zh = await get('/app/contacts')
    expect(zh).toContain('<html lang="zh-CN">')
    expect(zh).toContain('联系人')
    expect(zh).toContain('退出登录')

    const res = await c.get('/app/lang?to=en&next=%2Fapp%2Fcontacts%3Fgrade%3Dhot')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/app/contacts?grade=hot')
    expect(c.jar.get('lodestone_lang')).toBe('en')
    const en = await get('/app/contacts')
    expect(en).toContain('<html lang="en">')
    expect(en).toContain('Sign out')
    expect(en).not.toContain('退出登录')
  })

  it('goes back to the browser language when the person asks to follow it (a null locale)', async () => {
    const { c, get } = await signedIn('zh-CN,zh;q=0.9')
    const me = async () =>
      (
        await store.sql`select locale from users where workspace_id = ${t.ws.id}
          and id = (select user_id from sessions order by created_at desc limit 1)`
      )[0]?.locale
    await c.get('/app/lang?to=en&next=%2Fapp')
    expect(await me()).toBe('en')
    const chosen = await get('/app/contacts')
    expect(chosen).toContain('<html lang="en">')
    // The choice is marked; "Follow browser" is not.
    expect(chosen).toMatch(
      /<a href="\/app\/lang\?to=en[^"]*" lang="en" hreflang="en" aria-current="true">/,
    )
    expect(chosen).not.toMatch(/id="lang-auto" aria-current/)

    const res = await c.get('/app/lang?to=auto&next=%2Fapp%2Fcontacts')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/app/contacts')
    expect(c.jar.has('lodestone_lang')).toBe(false)
    expect(await me()).toBeNull()
    const followed = await get('/app/contacts')
    expect(followed).toContain('<html lang="zh-CN">')
    expect(followed).toMatch(/id="lang-auto" aria-current="true">跟随浏览器</)
    expect(followed).not.toMatch(/hreflang="[^"]+" aria-current/)
  })

  it('groups reports and settings: a landing page, a sub-navigation marking the current page', async () => {
    const { get } = await signedIn('zh-CN')
    const landing = await get('/app/reports')
    for (const href of [
      '/app/kpis',
      '/app/quality',
      '/app/quality/history',
      '/app/reasons',
      '/app/campaigns',
      '/app/alerts',
    ])
      expect(landing).toContain(`<h2><a href="${href}">`)
    expect(landing).toContain('href="/app/reports" class="on" aria-current="page"')
    const kpis = await get('/app/kpis')
    expect(kpis).toContain('href="/app/reports" class="on" aria-current="true"')
    expect(kpis).toMatch(/<nav class="sub" aria-label="报表" id="subnav">/)
    expect(kpis).toContain('href="/app/kpis" class="on" aria-current="page"')
    const team = await get('/app/team')
    expect(team).toContain('href="/app/settings" class="on" aria-current="true"')
    expect(team).toContain('href="/app/team" class="on" aria-current="page"')
    // The Live page's script names the default grades in the reader's language.
    expect(await get('/app/live')).toContain('热线索')
  })

  it('never switches language towards another site', async () => {
    const c = dashboardClient(t.app)
    const res = await c.get('/app/lang?to=zh-CN&next=https%3A%2F%2Fevil.example%2F')
    expect(res.headers.get('location')).toBe('/app')
    expect(c.jar.get('lodestone_lang')).toBe('zh-CN')
    const login = await (await c.get('/app/login')).text()
    expect(login).toContain('<html lang="zh-CN">')
    expect(login).toContain('密码')
  })

  it('answers an unknown contact and an unknown page with a 404 inside the app layout', async () => {
    const { c } = await signedIn()
    for (const path of ['/app/contacts/00000000-0000-4000-8000-000000000000', '/app/nowhere']) {
      const res = await c.get(path)
      expect(res.status).toBe(404)
      const html = await res.text()
      expect(html).toContain('id="error"')
      expect(html).toContain('<nav class="main"')
      expect(html).toContain('Not found')
    }
  })

  it("answers a method or path no route has with an HTML 404/405 in the reader's language; /v1 stays JSON", async () => {
    const { c } = await signedIn('zh-CN,zh;q=0.9')
    const cookie = [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ')
    const ask = (method: string, path: string, headers: Record<string, string>) =>
      t.app.request(`http://localhost${path}`, { method, headers })
    const cases: { headers: Record<string, string>; lang: string; title: string }[] = [
      // Signed out, the browser's language; signed in, the person's (here: their browser's too).
      { headers: { 'accept-language': 'en-GB,en;q=0.9' }, lang: 'en', title: 'Not found' },
      { headers: { 'accept-language': 'zh-CN,zh;q=0.9' }, lang: 'zh-CN', title: '未找到' },
      { headers: { cookie, 'accept-language': 'zh-CN' }, lang: 'zh-CN', title: '未找到' },
      {
        headers: { cookie: 'lodestone_lang=en', 'accept-language': 'zh-CN' },
        lang: 'en',
        title: 'Not found',
      },
    ]
    for (const { headers, lang, title } of cases) {
      for (const [method, path] of [
        ['PUT', '/app/nowhere'],
        ['DELETE', '/app/no/such/page'],
        ['POST', '/app/nowhere'],
      ]) {
        const res = await ask(method!, path!, headers)
        expect(res.status, `${method} ${path}`).toBe(404)
        expect(res.headers.get('content-type')).toMatch(/^text\/html/)
        const html = await res.text()
        expect(html).toContain(`<html lang="${lang}">`)
        expect(html).toContain('id="error"')
        expect(html).toContain(title)
      }
      for (const [method, path, allow] of [
        ['PUT', '/app/contacts', 'GET, HEAD'],
        ['DELETE', '/app/keys', 'GET, HEAD, POST'],
        ['POST', '/app/contacts', 'GET, HEAD'],
        ['PATCH', '/app', 'GET, HEAD'],
        ['PUT', '/app/team/some-id/role', 'POST'],
      ]) {
        const res = await ask(method!, path!, headers)
        expect(res.status, `${method} ${path}`).toBe(405)
        expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow)
        expect(res.headers.get('content-type')).toMatch(/^text\/html/)
        const html = await res.text()
        expect(html).toContain(`<html lang="${lang}">`)
        expect(html).toContain(lang === 'en' ? 'Not possible here' : '此处不支持该操作')
      }
    }
    // The signed-in person's own choice wins over the browser's, as on every page.
    await c.get('/app/lang?to=en&next=%2Fapp')
    const chosen = await ask('PUT', '/app/contacts', {
      cookie: [...c.jar]
        .filter(([k]) => k !== 'lodestone_lang')
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
      'accept-language': 'zh-CN',
    })
    expect(await chosen.text()).toContain('<html lang="en">')
    // Unknown GET pages keep their 404 page inside the app (above); HEAD of a page is no 405.
    expect((await ask('HEAD', '/app/contacts', { cookie })).status).toBe(200)
    // The API keeps its JSON errors.
    for (const [method, path] of [
      ['PUT', '/v1/contacts'],
      ['GET', '/v1/nowhere'],
      ['DELETE', '/nowhere'],
    ]) {
      const res = await ask(method!, path!, { 'accept-language': 'zh-CN' })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      expect((await res.json()).error.code).toBe('not_found')
    }
  })

  it("refuses a form the role lacks with a 403 page in the language kept on the person's account", async () => {
    const viewer = dashboardClient(t.app)
    expect((await viewer.signIn(t.ws.secretKey, 'viewer')).status).toBe(303)
    await viewer.get('/app/lang?to=zh-CN&next=%2Fapp')
    // An English browser without the language cookie: the account's choice still wins.
    const cookie = [...viewer.jar]
      .filter(([k]) => k !== 'lodestone_lang')
      .map(([k, v]) => `${k}=${v}`)
      .join('; ')
    const res = await t.app.request('http://localhost/app/settings', {
      method: 'POST',
      headers: {
        cookie,
        'accept-language': 'en-US,en;q=0.9',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'timeZone=UTC',
    })
    expect(res.status).toBe(403)
    const html = await res.text()
    expect(html).toContain('<html lang="zh-CN">')
    expect(html).toContain('您的角色无权执行此操作。')
    // Signed out, a form gets the 401 page in the browser's language, with a sign-in link.
    const out = await t.app.request('http://localhost/app/settings', {
      method: 'POST',
      headers: { 'accept-language': 'en-US', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'timeZone=UTC',
    })
    expect(out.status).toBe(401)
    const page = await out.text()
    expect(page).toContain('<html lang="en">')
    expect(page).toContain('href="/app/login"')
  })

  it('shows dates in the workspace time zone set on the Settings page, and refuses an unknown zone', async () => {
    const { c } = await signedIn()
    const csrf = await c.csrf()
    const bad = await c.post('/app/settings', { _csrf: csrf, timeZone: 'Mars/Olympus' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('Choose a time zone from the list.')
    const ok = await c.post('/app/settings', { _csrf: csrf, timeZone: 'Asia/Shanghai' })
    expect(ok.status).toBe(303)
    const settings = await (await c.get('/app/settings')).text()
    expect(settings).toContain('<option value="Asia/Shanghai" selected="">')
    const overview = await (await c.get('/app')).text()
    expect(overview).toContain('(Asia/Shanghai)')
  })
})
