// The route × role × key-scope matrix. Routes are read from the app itself (`app.routes`), so a
// route added without a line in auth/permissions.ts fails here; every route is called as each
// role (a fresh session each), with each key scope, with the first wk_/sk_ pair and with nothing,
// and must answer what the table says: refused (403), sent to sign-in (303 / 401), or let through.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { createLiveFeed } from '../live/feed.js'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { keyFor, sessionFor } from '../test-support/team.js'
import { featurePorts } from '../test-support/app.js'
import { createAudienceStore } from '../adapters/postgres/segments-store.js'
import { ROLES, SCOPES, type Role } from '../team/port.js'
import {
  PERMISSIONS,
  permissionDoc,
  permissionOf,
  ROUTES,
  roleHolds,
  scopesHold,
  type Permission,
} from './permissions.js'

const SECRET = 'matrix-session-secret-0123456789abcdef'
let store: TestStore
let app: ReturnType<typeof createApp>
let ws: Awaited<ReturnType<TestStore['createWorkspace']>>
const routes: { method: string; path: string }[] = []
const keys: Record<string, { key: string; scopes: readonly string[] }> = {}
let requests = 0

beforeAll(async () => {
  store = await openTestStore('postgres')
  app = createApp({
    store,
    clock: { now: () => new Date() },
    config: {},
    live: createLiveFeed(),
    getConnectionIp: () => '203.0.113.9',
    sessionSecret: SECRET,
    ...featurePorts(store),
    segments: createAudienceStore(store.sql),
  })
  ws = await store.createWorkspace({ name: 'Matrix' })
  for (const s of SCOPES)
    keys[`scope ${s}`] = { key: await keyFor(store.team, ws.id, [s]), scopes: [s] }
  keys['first write key (wk_)'] = { key: ws.writeKey, scopes: ['write'] }
  keys['first secret key (sk_)'] = { key: ws.secretKey, scopes: SCOPES }
  const seen = new Set<string>()
  for (const r of app.routes) {
    const name = `${r.method} ${r.path}`
    if (r.method === 'ALL' || seen.has(name)) continue
    seen.add(name)
    routes.push({ method: r.method, path: r.path })
  }
})
afterAll(async () => {
  console.log(`[permissions] ${routes.length} routes, ${requests} requests`)
  await store?.close()
})

const concrete = (path: string) => path.replace(/:\w+/g, '6f1d2c9a-0000-4000-8000-00000000000a')

async function call(
  method: string,
  path: string,
  opts: { authorization?: string; cookie?: string; csrf?: string } = {},
) {
  requests++
  const app_ = path === '/app' || path.startsWith('/app/')
  const headers: Record<string, string> = {
    'content-type': app_ ? 'application/x-www-form-urlencoded' : 'application/json',
  }
  if (opts.authorization) headers.authorization = opts.authorization
  if (opts.cookie) headers.cookie = opts.cookie
  if (opts.csrf && !app_) headers['x-csrf-token'] = opts.csrf
  const body =
    method === 'GET' || method === 'DELETE'
      ? undefined
      : app_
        ? new URLSearchParams({ _csrf: opts.csrf ?? '' }).toString()
        : '{}'
  const res = await app.request(concrete(path), { method, headers, body })
  // Streams are not read: their status says all.
  const text = (res.headers.get('content-type') ?? '').includes('event-stream')
    ? (await res.body?.cancel(), '')
    : await res.text()
  return { status: res.status, text }
}

/** A refusal by the permission table (not a 403 of the route itself, e.g. a login challenge). */
const refusedByTable = (r: { status: number; text: string }) =>
  r.status === 403 &&
  (r.text.includes('This needs the') ||
    r.text.includes('Your role does not allow this') ||
    r.text.includes('has no write or server scope'))

const isApp = (path: string) => path === '/app' || path.startsWith('/app/')

describe('the permission table', () => {
  it('lists every route of the app, and only routes that exist', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`)
    expect(names.length).toBeGreaterThan(60)
    expect(names.filter((n) => !Object.hasOwn(ROUTES, n))).toEqual([])
    expect(Object.keys(ROUTES).filter((n) => !names.includes(n))).toEqual([])
  })

  it('is printed in docs/team.md exactly as the code has it', () => {
    // Compared cell by cell: Prettier aligns the Markdown table's columns.
    const cells = (md: string) =>
      md
        .split('\n')
        .filter((l) => l.startsWith('|') && !/^\|[\s:|-]+\|$/.test(l))
        .map((l) => l.split('|').map((cell) => cell.trim()))
    const doc = readFileSync(new URL('../../../../docs/team.md', import.meta.url), 'utf8')
    const generated = cells(permissionDoc())
    const printed = cells(doc)
    const start = printed.findIndex((row) => row.join() === generated[0]!.join())
    expect(start).toBeGreaterThanOrEqual(0)
    expect(printed.slice(start, start + generated.length)).toEqual(generated)
  })

  it('refuses a route that has no entry', async () => {
    const extra = createApp({ store, clock: { now: () => new Date() }, config: {} })
    extra.get('/v1/not-in-the-table', (c) => c.json({ leaked: true }))
    const res = await extra.request('/v1/not-in-the-table', {
      headers: { authorization: `Bearer ${ws.secretKey}` },
    })
    expect(res.status).toBe(403)
    expect(await res.text()).not.toContain('leaked')
  })
})

describe('route × role × key scope', () => {
  it('answers every route as the table says for each role (sessions)', async () => {
    for (const role of ROLES) {
      for (const r of routes) {
        const p = permissionOf(r.method, r.path)!
        const s = await sessionFor(store.team, SECRET, ws.id, role)
        const res = await call(r.method, r.path, { cookie: s.cookie, csrf: s.csrf })
        const name = `${role} ${r.method} ${r.path} → ${res.status} ${res.text.slice(0, 120)}`
        expect(res.status, name).toBeLessThan(500)
        if (p === 'ingest') expect([400, 401], name).toContain(res.status)
        // Public routes may check a key of their own (personalisation takes a write key).
        else if (p === 'public') expect(refusedByTable(res), name).toBe(false)
        else if (roleHolds(role as Role, p)) {
          expect(res.status, name).not.toBe(401)
          expect(refusedByTable(res), name).toBe(false)
        } else expect(refusedByTable(res), name).toBe(true)
      }
    }
  })

  it('answers every route as the table says for each key scope and the first key pair', async () => {
    for (const [label, { key, scopes }] of Object.entries(keys)) {
      for (const r of routes) {
        const p = permissionOf(r.method, r.path)!
        const res = await call(r.method, r.path, { authorization: `Bearer ${key}` })
        const name = `${label} ${r.method} ${r.path} → ${res.status} ${res.text.slice(0, 120)}`
        expect(res.status, name).toBeLessThan(500)
        const held = p === 'public' || scopesHold(scopes as never, p)
        if (p === 'public') expect(refusedByTable(res), name).toBe(false)
        // Keys do not open the dashboard: it needs a person.
        else if (isApp(r.path))
          expect(res.status, name).toBe(
            r.method === 'GET' && !r.path.endsWith('/stream') ? 303 : 401,
          )
        else if (held) {
          expect(res.status, name).not.toBe(401)
          expect(refusedByTable(res), name).toBe(false)
        } else expect(refusedByTable(res), name).toBe(true)
      }
    }
  })

  it('without credentials: API routes answer 401, pages go to sign-in', async () => {
    for (const r of routes) {
      const p = permissionOf(r.method, r.path)!
      if (p === 'public') continue
      const res = await call(r.method, r.path)
      const name = `${r.method} ${r.path} → ${res.status}`
      if (p === 'ingest') expect([400, 401], name).toContain(res.status)
      else if (isApp(r.path) && r.method === 'GET' && !r.path.endsWith('/stream')) {
        expect(res.status, name).toBe(303)
      } else expect(res.status, name).toBe(401)
    }
  })

  it('grants what SPEC §10 says: owner everything, viewers no export, marketers rules', () => {
    const grants = (role: Role) =>
      (Object.keys(PERMISSIONS) as Permission[]).filter((p) => p !== 'public' && roleHolds(role, p))
    expect(grants('owner')).toEqual(
      expect.arrayContaining(['read', 'export', 'rules', 'settings', 'erase', 'audit', 'team']),
    )
    expect(grants('admin')).toEqual(expect.arrayContaining(['rules', 'settings', 'export']))
    expect(grants('admin')).not.toContain('team')
    expect(grants('marketer')).toContain('rules')
    expect(grants('marketer')).not.toContain('settings')
    expect(grants('viewer')).toEqual(['signed-in', 'read'])
    expect(scopesHold(['write'], 'read')).toBe(false)
    expect(scopesHold(['admin'], 'team')).toBe(true)
  })
})
