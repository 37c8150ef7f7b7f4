import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { keyFor, sessionFor, type TestSession } from '../test-support/team.js'
import { dashboardClient } from '../test-support/dashboard.js'
import { hashKey } from '../keys.js'
import { SIGN_IN_LIMITS } from '../dashboard/routes/login.js'
import { hashPassword, verifyPassword } from './password.js'
import { ROTATE_GRACE_MS } from './api-keys.js'
import { maskEmail, maskJson, maskPhone, maskText } from '../auth/mask.js'
import { createMemoryHotState } from '../adapters/memory/hot-state.js'

const SECRET = 'team-test-session-secret-0123456789abcdef'

describe('masking and passwords (pure)', () => {
  it('masks e-mails to the first character and domain, phones to the last two digits', () => {
    expect(maskEmail('ada@example.com')).toBe('a•••@example.com')
    expect(maskPhone('+1 415 555 2671')).toBe('•••71')
    expect(maskText('mail ada@example.com or call +14155552671 on 2026-06-01')).toBe(
      'mail a•••@example.com or call •••71 on 2026-06-01',
    )
    expect(
      maskJson({
        traits: { email: 'grace@navy.example', phone: '555 0199', name: 'Grace' },
        identities: [{ kind: 'phone', value: '5550199' }],
      }),
    ).toEqual({
      traits: { email: 'g•••@navy.example', phone: '•••99', name: 'Grace' },
      identities: [{ kind: 'phone', value: '•••99' }],
    })
  })

  it('hashes passwords with scrypt, a per-user salt and the parameters stored', async () => {
    const a = await hashPassword('correct horse battery')
    const b = await hashPassword('correct horse battery')
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('correct horse battery', a)).toBe(true)
    expect(await verifyPassword('correct horse batterY', a)).toBe(false)
    expect(await verifyPassword('x', 'plain-text')).toBe(false)
  })
})

describe.each(BACKENDS)('teams (%s)', (backend) => {
  let store: TestStore
  let app: ReturnType<typeof createApp>
  let ws: Awaited<ReturnType<TestStore['createWorkspace']>>
  let now = new Date()
  let contactId: string
  const bearer = (k: string) => ({ authorization: `Bearer ${k}` })
  const json = (k: string, method: string, body: unknown) => ({
    method,
    headers: { ...bearer(k), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const as = (s: TestSession, init: RequestInit = {}) => ({
    ...init,
    headers: { ...(init.headers as Record<string, string>), cookie: s.cookie },
  })

  beforeAll(async () => {
    store = await openTestStore(backend)
    app = createApp({
      store,
      clock: { now: () => now },
      config: {},
      getConnectionIp: () => '198.51.100.20',
      sessionSecret: SECRET,
      // Sign-in throttling counts in hot state (Redis or, here, in-process).
      hot: createMemoryHotState({ clock: { now: () => now } }),
    })
    ws = await store.createWorkspace({ name: 'Teams' })
    const res = await app.request('/v1/identify', {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${ws.writeKey}:`)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        userId: 'ada',
        traits: { email: 'ada@example.com', phone: '+14155552671', name: 'Ada Lovelace' },
      }),
    })
    expect(res.status).toBe(200)
    contactId = (
      await (await app.request('/v1/contacts', { headers: bearer(ws.secretKey) })).json()
    ).contacts[0].id
  })
  afterAll(() => store?.close())

  it('masks personal data for viewers on the API and the dashboard, and refuses their exports', async () => {
    const viewer = await sessionFor(store.team, SECRET, ws.id, 'viewer', now)
    const owner = await sessionFor(store.team, SECRET, ws.id, 'owner', now)
    const read = async (s: TestSession, path: string) => {
      const res = await app.request(path, as(s))
      expect(res.status, path).toBe(200)
      return res.text()
    }
    const mine = await read(owner, `/v1/contacts/${contactId}`)
    expect(mine).toContain('ada@example.com')
    expect(mine).toContain('+14155552671')
    for (const path of [
      `/v1/contacts/${contactId}`,
      '/v1/contacts',
      `/v1/contacts/${contactId}/events`,
      '/app/contacts',
      `/app/contacts/${contactId}`,
    ]) {
      const text = await read(viewer, path)
      expect(text, path).not.toContain('ada@example.com')
      expect(text, path).not.toContain('4155552671')
      expect(text, path).toContain('a•••@example.com')
    }
    expect(JSON.parse(await read(viewer, `/v1/contacts/${contactId}`)).traits.phone).toBe('•••71')
    expect(await read(owner, '/app/contacts')).toContain('id="export"')
    expect(await read(viewer, '/app/contacts')).not.toContain('id="export"')
    expect((await app.request('/app/contacts/export.csv', as(viewer))).status).toBe(403)
    expect((await app.request('/v1/contacts/export?format=csv', as(viewer))).status).toBe(403)
    expect((await app.request(`/v1/contacts/${contactId}/export`, as(viewer))).status).toBe(403)
    const csv = await app.request('/v1/contacts/export?format=csv', as(owner))
    expect(csv.status).toBe(200)
    expect(await csv.text()).toContain('ada@example.com')
  })

  it('creates scoped keys shown once and stored hashed; rotation keeps the old key for the grace period', async () => {
    const created = await app.request(
      '/v1/keys',
      json(ws.secretKey, 'POST', { name: 'Reporting', scopes: ['read'] }),
    )
    expect(created.status).toBe(201)
    const key = (await created.json()) as { id: string; key: string; scopes: string[] }
    expect(key.key).toMatch(/^lk_[\w-]{43}$/)
    expect(key.scopes).toEqual(['read'])
    const [row] = await store.sql`select * from api_keys where id = ${key.id}`
    expect(row!.key_hash).toBe(await hashKey(key.key))
    expect(JSON.stringify(row)).not.toContain(key.key.slice(3))
    const list = await (await app.request('/v1/keys', { headers: bearer(ws.secretKey) })).text()
    expect(list).toContain(key.key.slice(0, 9))
    expect(list).not.toContain(key.key)

    expect((await app.request('/v1/contacts', { headers: bearer(key.key) })).status).toBe(200)
    expect((await app.request('/v1/scoring/rules', json(key.key, 'PUT', {}))).status).toBe(403)
    expect((await app.request('/v1/keys', { headers: bearer(key.key) })).status).toBe(403)
    // last use is recorded (at most once a minute, written in the background)
    const lastUsed = async () =>
      (await store.sql`select last_used_at from api_keys where id = ${key.id}`)[0]!.last_used_at
    await expect.poll(lastUsed, { timeout: 5000 }).not.toBeNull()

    const rotated = await app.request(`/v1/keys/${key.id}/rotate`, json(ws.secretKey, 'POST', {}))
    expect(rotated.status).toBe(201)
    const fresh = (await rotated.json()) as { key: string; previous: { expiresAt: string } }
    expect(Date.parse(fresh.previous.expiresAt) - now.getTime()).toBe(ROTATE_GRACE_MS)
    await new Promise((r) => setTimeout(r, 1100)) // past the 1 s key cache
    expect((await app.request('/v1/contacts', { headers: bearer(key.key) })).status).toBe(200)
    expect((await app.request('/v1/contacts', { headers: bearer(fresh.key) })).status).toBe(200)
    const before = now
    now = new Date(now.getTime() + ROTATE_GRACE_MS + 1000)
    try {
      await new Promise((r) => setTimeout(r, 1100))
      expect((await app.request('/v1/contacts', { headers: bearer(key.key) })).status).toBe(401)
      expect((await app.request('/v1/contacts', { headers: bearer(fresh.key) })).status).toBe(200)
    } finally {
      now = before
    }
  })

  it('revokes a key within a second, and ingest takes write- and server-scoped keys only', async () => {
    const write = await keyFor(store.team, ws.id, ['write'])
    const server = await keyFor(store.team, ws.id, ['server'])
    const read = await keyFor(store.team, ws.id, ['read'])
    const track = (k: string, event = 'Clicked') =>
      app.request('/v1/track', json(k, 'POST', { userId: 'ada', event }))
    expect((await track(write)).status).toBe(200)
    expect((await track(read)).status).toBe(403)
    // Lifecycle events need server rights: refused with a write-scoped key, taken with server.
    const order = {
      userId: 'ada',
      event: 'Order Completed',
      properties: { orderId: 'o-1', revenue: 10, currency: 'USD' },
    }
    const w = await (await app.request('/v1/track', json(write, 'POST', order))).json()
    expect(w.rejected?.[0]?.issues?.[0]?.message ?? '').toMatch(/secret key/)
    expect((await app.request('/v1/track', json(server, 'POST', order))).status).toBe(200)

    const id = (await store.team.listApiKeys(ws.id, now)).find(
      (k) => k.scopes.join() === 'write',
    )!.id
    const del = await app.request(`/v1/keys/${id}`, {
      method: 'DELETE',
      headers: bearer(ws.secretKey),
    })
    expect(del.status).toBe(200)
    await new Promise((r) => setTimeout(r, 1100))
    expect((await track(write)).status).toBe(401)
  })

  it('invite links are single-use and expire after 7 days', async () => {
    const res = await app.request(
      '/v1/users',
      json(ws.secretKey, 'POST', { email: 'Marie@Example.com', role: 'marketer' }),
    )
    expect(res.status).toBe(201)
    const body = (await res.json()) as Record<string, string>
    expect(Object.keys(body).sort()).toEqual(['email', 'id', 'inviteUrl', 'role'])
    expect(body.email).toBe('marie@example.com')
    const path = new URL(body.inviteUrl!).pathname
    const c = dashboardClient(app)
    const form = await (await c.get(path)).text()
    expect(form).toContain('name="password"')
    const short = await c.post(path, { _login: c.hidden(form, '_login'), password: 'short' })
    expect(short.status).toBe(400)
    const again = await (await c.get(path)).text()
    const ok = await c.post(path, {
      _login: c.hidden(again, '_login'),
      password: 'a long enough password',
    })
    expect(ok.status).toBe(303)
    expect((await c.get('/app/rules')).status).toBe(200)
    expect((await dashboardClient(app).get(path)).status).toBe(404)
    // A second link for someone else, opened 7 days and a minute later, is gone.
    const later = await app.request(
      '/v1/users',
      json(ws.secretKey, 'POST', { email: 'late@example.com', role: 'viewer' }),
    )
    const latePath = new URL(((await later.json()) as { inviteUrl: string }).inviteUrl).pathname
    const before = now
    now = new Date(now.getTime() + 7 * 86_400_000 + 60_000)
    try {
      expect((await dashboardClient(app).get(latePath)).status).toBe(404)
    } finally {
      now = before
    }
    expect(
      (
        await app.request(
          '/v1/users',
          json(ws.secretKey, 'POST', { email: 'marie@example.com', role: 'viewer' }),
        )
      ).status,
    ).toBe(409)
    expect(
      (await app.request('/v1/users', json(ws.secretKey, 'POST', { email: 'x', role: 'god' })))
        .status,
    ).toBe(400)
  })

  it('throttles sign-in per account with 429 and Retry-After, and audits every failure', async () => {
    const member = await dashboardClient(app).signIn(ws.secretKey, 'viewer')
    const c = dashboardClient(app)
    const statuses: number[] = []
    let last: Response | undefined
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount + 1; i++) {
      const res = await c.signInWith(member.email, 'wrong password!')
      statuses.push(res.status)
      last = res
    }
    expect(statuses.slice(0, SIGN_IN_LIMITS.perAccount - 1).every((s) => s === 401)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
    // Even the right password waits now.
    expect((await c.signInWith(member.email, member.password)).status).toBe(429)
    const audit = await (
      await app.request('/v1/audit?action=signin.failed&limit=100', {
        headers: bearer(ws.secretKey),
      })
    ).json()
    const mine = audit.entries.filter(
      (e: { actor: { label: string } }) => e.actor.label === member.email,
    )
    expect(mine.length).toBe(SIGN_IN_LIMITS.perAccount + 2)
    expect(mine.map((e: { detail: { reason: string } }) => e.detail.reason)).toContain('throttled')
    expect(mine[0].ip).toBe('198.51.100.20')
  })

  it('records settings changes with before and after, pages the trail, and refuses edits of it', async () => {
    const reasons = { lost: ['price', 'timing'] }
    const put = await app.request('/v1/lifecycle/reasons', json(ws.secretKey, 'PUT', reasons))
    expect(put.status).toBe(200)
    const res = await app.request('/v1/audit?limit=1', { headers: bearer(ws.secretKey) })
    const page1 = (await res.json()) as { entries: Record<string, unknown>[]; next: string }
    expect(page1.entries[0]).toMatchObject({
      action: 'settings.reasons.update',
      actor: { kind: 'key', id: 'secret-key' },
      ip: '198.51.100.20',
      target: 'reasons',
    })
    expect((page1.entries[0]!.after as Record<string, unknown>).lost).toEqual(['price', 'timing'])
    expect(page1.entries[0]).toHaveProperty('before')
    expect(page1.next).toBeTruthy()
    const page2 = await (
      await app.request(`/v1/audit?limit=1&cursor=${page1.next}`, { headers: bearer(ws.secretKey) })
    ).json()
    expect(Number(page2.entries[0].id)).toBeLessThan(Number(page1.entries[0]!.id))
    await expect(store.sql`update audit_entries set action = 'x'`).rejects.toThrow(/append-only/)
    await expect(store.sql`delete from audit_entries`).rejects.toThrow(/append-only/)
    const [count] =
      await store.sql`select count(*)::int as n from audit_entries where workspace_id = ${ws.id}`
    expect(count!.n).toBeGreaterThan(5)
  })
})
