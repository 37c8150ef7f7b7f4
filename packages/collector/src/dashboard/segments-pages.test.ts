import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { dashboardClient } from '../test-support/dashboard.js'
import { fromForm, toConditions } from './segments-model.js'
import { segmentForm } from './segments-form.fixture.js'
import { createAudienceReads } from '../adapters/postgres/segments-dashboard-reads.js'
import { createApp } from '../app.js'
import { estimateFromSample } from '../segments/estimate.js'
import { featurePorts } from '../test-support/app.js'
import { PreviewResult } from './pages/segment-builder.js'
import { fmtFor } from './views/intl.js'

// The Segments and Accounts pages, driven like a browser (forms, CSRF, roles) over data sent
// through the API: a segment built with the form gets exactly the contacts an independent
// reading of the data says, its preview count equals what saving produced, accounts rank as
// the API ranks them, and the contact profile links the contact's segments and account.
const NOW = new Date('2025-04-16T10:00:00.000Z')
const day = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString()
let n = 0
const mid = () => `sp-${++n}-${Math.random().toString(36).slice(2)}`

interface Person {
  userId: string
  name: string
  industry: string
  title: string
  /** Days ago of each /pricing page view. */
  pricing: number[]
  groupId: string | null
}

// Pricing views: some inside 14 days, some older (they must not count).
const PEOPLE: Person[] = Array.from({ length: 18 }, (_, i) => ({
  userId: `p${i}`,
  name: i % 4 === 0 ? `王芳${i}` : `Person ${i}`,
  industry: i % 3 === 0 ? 'Retail' : 'Software',
  title: ['CEO', '首席执行官', '产品经理', 'Engineer', '销售总监', 'Intern'][i % 6]!,
  pricing: [[1, 3], [2], [5, 20], [30, 40], [1, 2, 3], []][i % 6]!,
  groupId: i % 3 === 0 ? 'acme' : i % 3 === 1 ? 'globex' : i < 9 ? 'initech' : null,
}))

const ACCOUNTS: Record<string, Record<string, unknown>> = {
  acme: { name: 'Acme', industry: 'Software', employees: 300 },
  globex: { name: 'Globex', industry: 'Retail', employees: 5 },
  initech: { name: 'Initech', industry: 'Software', employees: 40 },
}

/** Who should be in "Software people who viewed pricing at least twice in 14 days". */
const expectedMembers = (p: Person) =>
  p.industry === 'Software' && p.pricing.filter((d) => d < 14).length >= 2

/** The builder form of that segment, as a browser posts it. */
const attr = (html: string, id: string, name: string) =>
  new RegExp(`id="${id}"[^>]*${name}="([^"]*)"`).exec(html)?.[1] ??
  new RegExp(`${name}="([^"]*)"[^>]*id="${id}"`).exec(html)?.[1]

const rowIds = (html: string, table: string) => {
  const body = new RegExp(`<table id="${table}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? ''
  return [...body.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1]!)
}

describe.each(BACKENDS)('dashboard Segments and Accounts pages (%s)', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  let owner: ReturnType<typeof dashboardClient>
  let csrf = ''
  const ids = new Map<string, string>()
  let segmentId = ''

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store, () => NOW)
    const batch: unknown[] = []
    for (const p of PEOPLE) {
      batch.push({
        type: 'identify',
        messageId: mid(),
        userId: p.userId,
        timestamp: day(60),
        traits: {
          name: p.name,
          email: `${p.userId}@example.com`,
          industry: p.industry,
          title: p.title,
        },
      })
      for (const d of p.pricing)
        batch.push({
          type: 'page',
          messageId: mid(),
          userId: p.userId,
          timestamp: day(d),
          properties: { url: `https://shop.example/pricing?d=${d}`, path: '/pricing' },
        })
      if (p.groupId)
        batch.push({
          type: 'group',
          messageId: mid(),
          userId: p.userId,
          groupId: p.groupId,
          timestamp: day(50),
          traits: ACCOUNTS[p.groupId],
        })
    }
    const res = await t.post('/v1/batch', { batch })
    expect(res.status).toBe(200)
    for (const p of PEOPLE) {
      const found = await t.get(`/v1/contacts/lookup?userId=${p.userId}`)
      ids.set(p.userId, ((await found.json()) as { id: string }).id)
    }
    owner = dashboardClient(t.app)
    expect((await owner.signIn(t.ws.secretKey)).status).toBe(303)
    csrf = await owner.csrf()
  })
  afterAll(async () => {
    await store?.close()
  })

  it('empty states say what to do next', async () => {
    const html = await (await owner.get('/app/segments')).text()
    expect(html).toContain('id="empty-state"')
    expect(html).toContain('href="/app/segments/new"')
    expect(html).toContain('href="/app/segments" class="on"')
  })

  it('preview counts without saving; the saved segment gets exactly the expected members', async () => {
    const expected = PEOPLE.filter(expectedMembers).map((p) => ids.get(p.userId)!)
    expect(expected.length).toBeGreaterThan(2)
    expect(expected.length).toBeLessThan(PEOPLE.length)

    // Adding a row through the form keeps what was typed and adds an empty one of the kind.
    const added = await owner.post('/app/segments/builder', {
      ...segmentForm(csrf, 'add'),
      addKind: 'grade',
    })
    const addedHtml = await added.text()
    expect(addedHtml).toContain('id="condition-2" data-kind="grade"')
    expect(addedHtml).toContain('value="*/pricing*"')

    const preview = await owner.post('/app/segments/builder', segmentForm(csrf, 'preview'))
    expect(preview.status).toBe(200)
    const html = await preview.text()
    const previewed = Number(attr(html, 'segment-preview', 'data-members'))
    expect(previewed).toBe(expected.length)
    expect(html).toContain(`${expected.length} of ${PEOPLE.length} contacts`)
    // The script's GET answers the same count, and nothing was saved by either.
    const q = new URLSearchParams(segmentForm('', 'preview'))
    q.delete('_csrf')
    const fragment = await (await owner.get(`/app/segments/preview?${q}`)).text()
    expect(Number(attr(fragment, 'segment-preview', 'data-members'))).toBe(expected.length)
    expect(((await (await t.get('/v1/segments')).json()) as { segments: [] }).segments).toEqual([])

    const saved = await owner.post('/app/segments/builder', segmentForm(csrf, 'save'))
    expect(saved.status).toBe(303)
    const location = saved.headers.get('location')!
    expect(location).toMatch(/^\/app\/segments\/seg_[0-9a-f]+\?saved=1$/)
    segmentId = location.split('/')[3]!.split('?')[0]!

    const members = (await (await t.get(`/v1/segments/${segmentId}/members?limit=500`)).json()) as {
      contacts: { id: string }[]
    }
    expect(members.contacts.map((c) => c.id).sort()).toEqual([...expected].sort())
    expect(members.contacts.length).toBe(previewed)

    const page = await (await owner.get(location)).text()
    expect(page).toContain('id="saved"')
    expect(attr(page, 'segment-status', 'data-status')).toBe('ready')
    expect(Number(attr(page, 'segment-members', 'data-members'))).toBe(previewed)
    expect(rowIds(page, 'members').sort()).toEqual([...expected].sort())
    for (const id of expected) expect(page).toContain(`href="/app/contacts/${id}"`)
    expect(page).toContain(`href="/v1/segments/${segmentId}/export?format=csv&amp;bom=1"`)
    expect(page).toContain(`href="/v1/segments/${segmentId}/export?format=json"`)
    // The export route the button uses answers the owner's session with the same members.
    const csv = await (await owner.get(`/v1/segments/${segmentId}/export?format=csv`)).text()
    expect(csv.trim().split('\n').length - 1).toBe(expected.length)

    // "Open in Contacts": the contacts list filtered to the segment has the same people.
    expect(page).toContain(`href="/app/contacts?segment=${segmentId}"`)
    const contacts = await (await owner.get(`/app/contacts?segment=${segmentId}`)).text()
    expect(rowIds(contacts, 'contacts').sort()).toEqual([...expected].sort())

    const list = await (await owner.get('/app/segments')).text()
    expect(list).toContain(`data-id="${segmentId}" data-members="${expected.length}"`)
  })

  it('past its sample size, the preview estimates from the first contacts by id and says so', async () => {
    const conditions = toConditions(fromForm(segmentForm('', 'preview')))
    const reads = createAudienceReads(store.sql, { previewSample: 5 })
    const p = await reads.previewSegment(t.ws.id, conditions, NOW)
    const firstFive = [...ids.entries()].sort((a, b) => (a[1] < b[1] ? -1 : 1)).slice(0, 5)
    const inSample = firstFive.filter(([u]) => expectedMembers(PEOPLE.find((x) => x.userId === u)!))
    const estimate = estimateFromSample(inSample.length, 5, PEOPLE.length)
    expect(p).toEqual({
      members: Math.round((inSample.length * PEOPLE.length) / 5),
      contacts: PEOPLE.length,
      examined: 5,
      sampled: true,
      estimate: true,
      sampleSize: 5,
      range: { low: estimate.low, high: estimate.high },
    })
    const truth = PEOPLE.filter(expectedMembers).length
    expect(p.range.low).toBeLessThanOrEqual(truth)
    expect(p.range.high).toBeGreaterThanOrEqual(truth)
    expect(p.range.low).toBeGreaterThanOrEqual(inSample.length) // at least those seen

    // The API answers the same, saying it is an estimate and from how many contacts.
    const sampledApp = createApp({
      store,
      ...featurePorts(store),
      audienceReads: reads,
      segments: t.segments,
      live: t.live,
      clock: { now: () => NOW },
      config: {},
    })
    const api = async (app: typeof sampledApp) => {
      const res = await app.request('/v1/segments/preview', {
        method: 'POST',
        headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ conditions }),
      })
      expect(res.status).toBe(200)
      return res.json()
    }
    expect(await api(sampledApp)).toEqual({
      members: p.members,
      contacts: PEOPLE.length,
      estimate: true,
      sampleSize: 5,
      range: p.range,
    })
    // Below the sample size (the default 20,000) the count is exact.
    const exact = PEOPLE.filter(expectedMembers).length
    expect(await api(t.app)).toEqual({
      members: exact,
      contacts: PEOPLE.length,
      estimate: false,
      sampleSize: PEOPLE.length,
      range: { low: exact, high: exact },
    })

    // The page says so in both languages, with the sample size and the range.
    const html = async (locale: 'en' | 'zh-CN') =>
      String(await PreviewResult({ f: fmtFor(locale, 'UTC'), preview: p, issues: [] }).toString())
    const en = await html('en')
    expect(attr(en, 'segment-preview', 'data-estimate')).toBe('true')
    expect(attr(en, 'segment-preview', 'data-sample-size')).toBe('5')
    expect(en).toContain(`About ${p.members} of ${PEOPLE.length} contacts`)
    expect(en).toContain(`likely between ${p.range.low} and ${p.range.high}`)
    expect(en).toContain(`an even sample of 5 of the ${PEOPLE.length} contacts`)
    const zh = await html('zh-CN')
    expect(zh).toContain(`约有 ${p.members} 位`)
    expect(zh).toContain(`大致在 ${p.range.low} 到 ${p.range.high} 位之间`)
    expect(zh).toContain(`均匀抽取 5 位`)
    expect(zh).toContain('估算')
  })

  it('shows back-fill progress while a segment fills, then members per day', async () => {
    // Made through the API, so nothing has run its back-fill yet.
    const made = await t.app.request('/v1/segments', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Retail', conditions: { traits: { industry: 'Retail' } } }),
    })
    expect(made.status).toBe(201)
    const { id } = (await made.json()) as { id: string }
    const building = await (await owner.get(`/app/segments/${id}`)).text()
    expect(attr(building, 'segment-status', 'data-status')).toBe('building')
    expect(building).toContain(`Filling: 0 of ${PEOPLE.length} contacts checked`)
    expect(building).toMatch(/<progress value="0" max="18"/)
    expect(building).toMatch(/<script nonce="[^"]+">setTimeout\(\(\) => location.reload\(\)/)
    expect(building).toContain('id="size-empty"')
    for (let i = 0; i < 5; i++) if ((await t.segments.backfillStep(NOW, id))?.ready) break
    await t.segments.runBackground(NOW, { countDaily: true })
    const ready = await (await owner.get(`/app/segments/${id}`)).text()
    const retail = PEOPLE.filter((p) => p.industry === 'Retail').length
    expect(attr(ready, 'segment-status', 'data-status')).toBe('ready')
    expect(ready).not.toContain('location.reload')
    expect(Number(attr(ready, 'segment-members', 'data-members'))).toBe(retail)
    // The chart: one bar for today with today's count.
    expect(ready).toContain(`<title>2025-04-16: ${retail}</title>`)
    expect((await owner.post(`/app/segments/${id}/delete`, { _csrf: csrf })).status).toBe(303)
  })

  it('an invalid form comes back with its problems inline, a 400, nothing saved', async () => {
    const res = await owner.post('/app/segments/builder', {
      ...segmentForm(csrf, 'save', 'Bad'),
      'c1.days': '9999',
    })
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('id="segment-issues"')
    expect(html).toContain('value="Bad"')
    const all = (await (await t.get('/v1/segments')).json()) as { segments: unknown[] }
    expect(all.segments.length).toBe(1)
  })

  it('editing keeps the rows; marking the segment public shows it to its members only', async () => {
    const edit = await (await owner.get(`/app/segments/${segmentId}/edit`)).text()
    expect(edit).toContain('name="c0.name" value="industry"')
    expect(edit).toContain('name="c1.url" value="*/pricing*"')
    const res = await owner.post(`/app/segments/${segmentId}/browser`, {
      _csrf: csrf,
      browser: '1',
    })
    expect(res.status).toBe(303)
    const seg = (await (await t.get(`/v1/segments/${segmentId}`)).json()) as {
      browser: boolean
      status: string
      members: number
    }
    expect(seg).toMatchObject({ browser: true, status: 'ready' })
    expect(seg.members).toBe(PEOPLE.filter(expectedMembers).length)
    const member = PEOPLE.find(expectedMembers)!
    const other = PEOPLE.find((p) => !expectedMembers(p))!
    const ask = async (userId: string) =>
      (
        (await (
          await t.app.request(`/v1/personalize/segments?userId=${userId}&writeKey=${t.ws.writeKey}`)
        ).json()) as { segments: string[] }
      ).segments
    expect(await ask(member.userId)).toEqual(['pricing-twice'])
    expect(await ask(other.userId)).toEqual([])
  })

  it('personalization takes a scoped key with the write scope, as every route resolves keys', async () => {
    const member = PEOPLE.find(expectedMembers)!
    const newKey = async (scopes: string[]) => {
      const res = await t.app.request('/v1/keys', {
        method: 'POST',
        headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: scopes.join(' '), scopes }),
      })
      expect(res.status).toBe(201)
      return ((await res.json()) as { key: string }).key
    }
    const write = await newKey(['write'])
    const read = await newKey(['read'])
    const path = `/v1/personalize/segments?userId=${member.userId}`
    const viaHeader = await t.app.request(path, { headers: { authorization: `Bearer ${write}` } })
    expect(viaHeader.status).toBe(200)
    expect(await viaHeader.json()).toEqual({ segments: ['pricing-twice'] })
    const viaQuery = await t.app.request(`${path}&writeKey=${write}`)
    expect(await viaQuery.json()).toEqual({ segments: ['pricing-twice'] })
    // A key without the write scope is refused; a secret key never travels in the URL.
    const readOnly = await t.app.request(path, { headers: { authorization: `Bearer ${read}` } })
    expect(readOnly.status).toBe(403)
    expect((await t.app.request(`${path}&writeKey=${t.ws.secretKey}`)).status).toBe(401)
  })

  it('accounts rank as the API ranks them; any column sorts; the profile lists roles', async () => {
    const api = (await (await t.get('/v1/accounts?limit=50')).json()) as {
      accounts: { id: string; groupId: string; score: { total: number }; members: number }[]
    }
    expect(api.accounts.length).toBe(3)
    const html = await (await owner.get('/app/accounts')).text()
    expect(rowIds(html, 'accounts')).toEqual(api.accounts.map((a) => a.id))
    const totals = api.accounts.map((a) => a.score.total)
    expect(totals).toEqual([...totals].sort((a, b) => b - a))

    // Members, an independent count: people per groupId.
    const people = (g: string) => PEOPLE.filter((p) => p.groupId === g).length
    const byMembers = [...api.accounts].sort(
      (a, b) => people(b.groupId) - people(a.groupId) || b.score.total - a.score.total,
    )
    const sorted = await (await owner.get('/app/accounts?sort=members')).text()
    expect(rowIds(sorted, 'accounts')).toEqual(byMembers.map((a) => a.id))
    const asc = await (await owner.get('/app/accounts?sort=name&dir=asc')).text()
    expect(rowIds(asc, 'accounts')).toEqual(
      ['acme', 'globex', 'initech'].map((g) => api.accounts.find((a) => a.groupId === g)!.id),
    )

    for (const account of api.accounts) {
      const profile = await (await owner.get(`/app/accounts/${account.id}`)).text()
      const mine = PEOPLE.filter((p) => p.groupId === account.groupId)
      expect(rowIds(profile, 'account-members').sort()).toEqual(
        mine.map((p) => ids.get(p.userId)!).sort(),
      )
      for (const p of mine) {
        const role =
          p.title === 'CEO' || p.title === '首席执行官' || p.title === '销售总监'
            ? 'decision_maker'
            : p.title === '产品经理'
              ? 'influencer'
              : 'other'
        expect(profile).toContain(`data-id="${ids.get(p.userId)}" data-role="${role}"`)
      }
    }
    const acme = api.accounts.find((a) => a.groupId === 'acme')!
    // "Open in Contacts": the contacts list filtered to the account has its people.
    const acmeHtml = await (await owner.get(`/app/accounts/${acme.id}`)).text()
    expect(acmeHtml).toContain(`href="/app/contacts?account=${acme.id}"`)
    const acmeContacts = await (await owner.get(`/app/contacts?account=${acme.id}`)).text()
    expect(rowIds(acmeContacts, 'contacts').sort()).toEqual(
      PEOPLE.filter((p) => p.groupId === 'acme')
        .map((p) => ids.get(p.userId)!)
        .sort(),
    )
    // A groupId in the address shows the account under its id.
    const byGroup = await owner.get('/app/accounts/acme')
    expect(byGroup.status).toBe(302)
    expect(byGroup.headers.get('location')).toBe(`/app/accounts/${acme.id}`)
    expect((await owner.get('/app/accounts/nope')).status).toBe(404)
  })

  it('the contact profile links the contact’s segments and account', async () => {
    const member = PEOPLE.find((p) => expectedMembers(p) && p.groupId)!
    const html = await (await owner.get(`/app/contacts/${ids.get(member.userId)}`)).text()
    const panel = /<div id="contact-audience">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? ''
    expect(panel).toContain(`href="/app/segments/${segmentId}">Pricing twice</a>`)
    const api = (await (await t.get(`/v1/contacts/${ids.get(member.userId)}`)).json()) as {
      accounts: { id: string; name: string }[]
    }
    expect(api.accounts.length).toBe(1)
    expect(panel).toContain(`href="/app/accounts/${api.accounts[0]!.id}">${api.accounts[0]!.name}`)
    const loner = PEOPLE.find((p) => !expectedMembers(p) && !p.groupId)!
    const empty = await (await owner.get(`/app/contacts/${ids.get(loner.userId)}`)).text()
    expect(empty).toContain('In no segment right now.')
    expect(empty).toContain('Not linked to a company yet.')
  })

  it('viewers read but cannot build; every change needs the CSRF token', async () => {
    const viewer = dashboardClient(t.app)
    expect((await viewer.signIn(t.ws.secretKey, 'viewer')).status).toBe(303)
    const vcsrf = await viewer.csrf()
    const list = await viewer.get('/app/segments')
    expect(list.status).toBe(200)
    const html = await list.text()
    expect(html).not.toContain('id="new-segment"')
    expect(html).toContain(`href="/app/segments/${segmentId}"`)
    expect((await viewer.get('/app/segments/new')).status).toBe(403)
    expect((await viewer.get(`/app/segments/${segmentId}/edit`)).status).toBe(403)
    const before = (await (await t.get('/v1/segments')).json()) as { segments: unknown[] }
    const tried = await viewer.post('/app/segments/builder', segmentForm(vcsrf, 'save', 'Viewer'))
    expect(tried.status).toBe(403)
    expect((await viewer.post(`/app/segments/${segmentId}/delete`, { _csrf: vcsrf })).status).toBe(
      403,
    )
    const detail = await (await viewer.get(`/app/segments/${segmentId}`)).text()
    expect(detail).not.toContain('id="delete-segment"')
    expect(detail).not.toContain('id="export-csv"')
    expect((await viewer.get('/app/accounts')).status).toBe(200)

    // The owner without the token: refused, nothing saved or deleted.
    const { _csrf: _drop, ...noToken } = segmentForm(csrf, 'save', 'No token')
    expect((await owner.post('/app/segments/builder', noToken)).status).toBe(403)
    expect((await owner.post(`/app/segments/${segmentId}/delete`, {})).status).toBe(403)
    const after = (await (await t.get('/v1/segments')).json()) as { segments: unknown[] }
    expect(after.segments.length).toBe(before.segments.length)

    // With it, the owner deletes the segment.
    const del = await owner.post(`/app/segments/${segmentId}/delete`, { _csrf: csrf })
    expect(del.status).toBe(303)
    expect((await owner.get(`/app/segments/${segmentId}`)).status).toBe(404)
  })
})
