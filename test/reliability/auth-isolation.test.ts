import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../packages/collector/src/app.js'
import { createLiveFeed } from '../../packages/collector/src/live/feed.js'
import { constantTimeEqual } from '../../packages/collector/src/keys.js'
import { openTestStore, type TestStore } from '../../packages/collector/src/test-support/stores.js'
import { featurePorts } from '../../packages/collector/src/test-support/app.js'
import { rowsContaining } from '../support/db-scan.js'

// The auth and isolation matrix. Routes are read from the Hono app itself (`app.routes`), so a
// route added later is covered without editing this file. Two workspaces with the same shape of
// data; every route is called with no key, each write key and each secret key, with path ids
// pointing at the other workspace's contacts and webhooks.

// Routes that take a write key by design (Segment's API) or need no key at all.
const INGEST = new Set(
  ['batch', 'b', 'import', 'track', 't', 'page', 'p', 'screen', 's']
    .concat(['identify', 'i', 'group', 'g', 'alias', 'a'])
    .map((r) => `POST /v1/${r}`),
)
const PUBLIC = new Set([
  'GET /health',
  'GET /sdk.js',
  'GET /sdk.core.js',
  'GET /sdk-chat.js',
  'GET /sdk-segments.js',
])

const NOW = new Date('2026-06-01T12:00:00Z')
let store: TestStore
let app: ReturnType<typeof createApp>

interface Ws {
  id: string
  writeKey: string
  secretKey: string
  tag: string
  contactIds: string[]
  webhookId: string
  /** Text that only this workspace's data contains. */
  markers: string[]
}
const ws: Record<'A' | 'B', Ws> = {} as never
const routes: { method: string; path: string }[] = []
const counts = { requests: 0, routes: 0 }

const basic = (key: string) => `Basic ${btoa(`${key}:`)}`
const bearer = (key: string) => `Bearer ${key}`

async function seed(tag: string): Promise<Ws> {
  const w = await store.createWorkspace({ name: `Isolation ${tag}` })
  const batch = Array.from({ length: 3 }, (_, i) => [
    {
      type: 'identify',
      userId: `user-${tag}-${i}`,
      anonymousId: `anon-${tag}-${i}`,
      traits: { email: `person-${tag}-${i}@${tag}.example`, company: `Company${tag}` },
      messageId: `msg-${tag}-id-${i}`,
      timestamp: '2026-05-31T10:00:00Z',
    },
    {
      type: 'track',
      event: 'Webinar Registered',
      userId: `user-${tag}-${i}`,
      properties: { secretNote: `note-${tag}-${i}` },
      messageId: `msg-${tag}-tr-${i}`,
      timestamp: '2026-05-31T10:05:00Z',
    },
  ])
  const ingest = await app.request('/v1/batch', {
    method: 'POST',
    headers: { authorization: basic(w.writeKey), 'content-type': 'application/json' },
    body: JSON.stringify({ batch: batch.flat() }),
  })
  expect(ingest.status).toBe(200)
  const list = await (
    await app.request('/v1/contacts', { headers: { authorization: bearer(w.secretKey) } })
  ).json()
  const hook = await app.request('/v1/webhooks', {
    method: 'POST',
    headers: { authorization: bearer(w.secretKey), 'content-type': 'application/json' },
    body: JSON.stringify({ url: `https://hooks.${tag}.example/lodestone` }),
  })
  expect(hook.status).toBe(201)
  const webhookId = (await hook.json()).id as string
  const contactIds = list.contacts.map((c: { id: string }) => c.id) as string[]
  expect(contactIds).toHaveLength(3)
  return {
    id: w.id,
    writeKey: w.writeKey,
    secretKey: w.secretKey,
    tag,
    contactIds,
    webhookId,
    markers: [
      w.id,
      webhookId,
      `hooks.${tag}.example`,
      ...contactIds,
      ...[0, 1, 2].flatMap((i) => [`person-${tag}-${i}@`, `user-${tag}-${i}`, `note-${tag}-${i}`]),
      `msg-${tag}-`,
      `Company${tag}`,
    ],
  }
}

/** Concrete paths for a route pattern, with ids taken from `owner`'s data. */
function concretePaths(pattern: string, owner: Ws): string[] {
  if (!pattern.includes(':')) return [pattern]
  const values = [
    owner.contactIds[0]!,
    encodeURIComponent(`email:person-${owner.tag}-1@${owner.tag}.example`),
    `userId:user-${owner.tag}-2`,
    owner.webhookId,
  ]
  return values.map((v) => pattern.replace(/:[A-Za-z_]\w*(\{[^}]*\})?/g, v))
}

/** Reads a response's text; a stream (SSE) is read for its first chunk only, then cancelled. */
async function readText(res: Response): Promise<string> {
  if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) return res.text()
  const reader = res.body!.getReader()
  const first = await Promise.race([
    reader.read(),
    new Promise<{ value?: undefined }>((r) => setTimeout(() => r({}), 500)),
  ])
  await reader.cancel().catch(() => {})
  return new TextDecoder().decode(first.value ?? new Uint8Array())
}

async function call(method: string, path: string, authorization?: string, body?: string) {
  counts.requests++
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (authorization) headers.authorization = authorization
  const res = await app.request(path, {
    method,
    headers,
    body: method === 'GET' || method === 'DELETE' ? undefined : (body ?? '{}'),
  })
  return { status: res.status, text: await readText(res) }
}

/** Everything `w` can see through its own GET routes (its own ids in path parameters). */
async function snapshot(w: Ws): Promise<string> {
  const parts: string[] = []
  // The JSON API only: HTML pages carry a fresh nonce per request.
  // The audit trail is left out: the snapshot's own exports are recorded there.
  const reads = routes.filter(
    (r) =>
      r.method === 'GET' &&
      r.path.startsWith('/v1/') &&
      r.path !== '/v1/stream' &&
      r.path !== '/v1/audit',
  )
  for (const r of reads) {
    for (const path of concretePaths(r.path, w)) {
      const res = await app.request(path, { headers: { authorization: bearer(w.secretKey) } })
      parts.push(`${path} ${res.status} ${await readText(res)}`)
    }
  }
  return parts.join('\n')
}

/** A workspace-shaped set of ids that exist nowhere. */
const ghost: Ws = {
  id: 'ws_none',
  writeKey: '',
  secretKey: '',
  tag: 'ghost',
  contactIds: ['6f1d2c9a-0000-4000-8000-000000000000'],
  webhookId: '6f1d2c9a-0000-4000-8000-000000000001',
  markers: [],
}

const leaks = (text: string, victim: Ws) => victim.markers.filter((m) => text.includes(m))

beforeAll(async () => {
  store = await openTestStore('postgres')
  app = createApp({
    store,
    ...featurePorts(store),
    clock: { now: () => NOW },
    config: {},
    live: createLiveFeed(),
    getConnectionIp: () => '198.51.100.7',
  })
  ws.A = await seed('alpha')
  ws.B = await seed('bravo')
  const seen = new Set<string>()
  for (const r of app.routes) {
    if (r.method === 'ALL' || seen.has(`${r.method} ${r.path}`)) continue
    seen.add(`${r.method} ${r.path}`)
    routes.push({ method: r.method, path: r.path })
  }
  counts.routes = routes.length
})
afterAll(async () => {
  console.log(`[isolation] ${counts.routes} routes, ${counts.requests} requests`)
  await store?.close()
})

describe('auth and isolation matrix over every route', () => {
  it('finds the API routes in the app (the matrix is not vacuous)', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`)
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /v1/contacts',
        'GET /v1/contacts/:ref',
        'GET /v1/contacts/:ref/events',
        'DELETE /v1/contacts/:ref',
        'PUT /v1/scoring/rules',
        'GET /v1/webhooks',
        'POST /v1/batch',
      ]),
    )
  })

  it('without a key, every API route other than ingest and public files answers 401', async () => {
    for (const r of routes) {
      const name = `${r.method} ${r.path}`
      if (PUBLIC.has(name)) continue
      for (const path of concretePaths(r.path, ws.B)) {
        const res = await call(r.method, path)
        // Ingest checks the envelope before a key in the body; either way nothing is accepted.
        if (INGEST.has(name)) expect([400, 401], name).toContain(res.status)
        else if (r.path.startsWith('/v1/')) expect(res.status, `${name} → ${res.text}`).toBe(401)
        expect(leaks(res.text, ws.B), name).toEqual([])
        expect(leaks(res.text, ws.A), name).toEqual([])
      }
    }
  })

  it('a write key can only ingest: every other API route answers 401 or 403', async () => {
    for (const r of routes) {
      const name = `${r.method} ${r.path}`
      if (PUBLIC.has(name) || INGEST.has(name)) continue
      for (const owner of [ws.A, ws.B]) {
        for (const path of concretePaths(r.path, owner)) {
          for (const auth of [basic(ws.A.writeKey), bearer(ws.A.writeKey)]) {
            const res = await call(r.method, path, auth)
            if (r.path.startsWith('/v1/'))
              expect([401, 403], `${name} with a write key → ${res.status}`).toContain(res.status)
            expect(leaks(res.text, ws.A).concat(leaks(res.text, ws.B)), name).toEqual([])
          }
        }
      }
    }
  })

  it("a secret key never sees or changes the other workspace's contacts, events, rules or webhooks", async () => {
    for (const [me, other] of [
      [ws.A, ws.B],
      [ws.B, ws.A],
    ] as const) {
      const before = await snapshot(other)
      // The snapshot shows the owner its own data, so "no marker" below means something.
      expect(leaks(before, other).length).toBeGreaterThan(10)
      expect(leaks(before, me)).toEqual([])
      for (const r of routes) {
        const name = `${r.method} ${r.path}`
        if (INGEST.has(name)) continue
        for (const path of concretePaths(r.path, other)) {
          const res = await call(r.method, path, bearer(me.secretKey))
          expect(res.status, `${name} ${path} → ${res.text.slice(0, 200)}`).toBeLessThan(500)
          expect(leaks(res.text, other), `${name} ${path}`).toEqual([])
          if (r.path.includes(':') && r.method === 'GET') {
            // No existence oracle: another workspace's id answers like an id that never existed.
            const unknown = await call(
              r.method,
              concretePaths(r.path, ghost)[0]!,
              bearer(me.secretKey),
            )
            expect(res.status, `${name} ${path} differs from an unknown id`).toBe(unknown.status)
          }
        }
      }
      // Every mutation (PUT rules, DELETE contact, rescore …) touched only the caller's data.
      expect(await snapshot(other)).toBe(before)
    }
    const before = await snapshot(ws.B)
    // Server-side ingest with A's secret key, naming B's people: it lands in A and only in A.
    const sent = await call(
      'POST',
      '/v1/batch',
      bearer(ws.A.secretKey),
      JSON.stringify({
        writeKey: ws.B.writeKey,
        batch: [
          {
            type: 'identify',
            userId: 'user-bravo-0',
            traits: { email: 'person-bravo-0@bravo.example', company: 'Hijack' },
            messageId: 'msg-bravo-id-0',
          },
        ],
      }),
    )
    expect(sent.status).toBe(200)
    const after = await snapshot(ws.B)
    expect(after).toBe(before)
    expect(after).not.toContain('Hijack')
  })

  it('keys are stored only as SHA-256 digests, nowhere in plain text', async () => {
    const rows =
      await store.sql`select * from workspaces where id in ${store.sql([ws.A.id, ws.B.id])}`
    expect(rows).toHaveLength(2)
    for (const w of [ws.A, ws.B]) {
      const row = rows.find((r) => r.id === w.id)!
      const sha = (k: string) => createHash('sha256').update(k).digest('hex')
      expect(row.write_key_hash).toBe(sha(w.writeKey))
      expect(row.secret_key_hash).toBe(sha(w.secretKey))
    }
    const keys = [ws.A, ws.B].flatMap((w) => [w.writeKey, w.secretKey])
    // The random part of each key, too, in case a prefix-stripped copy was kept somewhere.
    const needles = keys.concat(keys.map((k) => k.slice(3)))
    expect(await rowsContaining(store.sql, needles)).toEqual({})
  })

  it('secrets are compared in constant time: no === on tokens, digests or signatures', () => {
    expect(constantTimeEqual('sk_abc', 'sk_abc')).toBe(true)
    expect(constantTimeEqual('sk_abc', 'sk_abd')).toBe(false)
    expect(constantTimeEqual('sk_abc', 'sk_ab')).toBe(false)
    // Keys are found by their digest (an indexed lookup of a value the caller cannot steer
    // byte by byte); anything compared in code must go through constantTimeEqual.
    const src = fileURLToPath(new URL('../../packages/collector/src/', import.meta.url))
    const risky =
      /\b\w*(secret|token|signature|digest|hmac|mac|Hash|csrf)\w*\s*[!=]==?\s*(?!['"`]|null|undefined|\d)[\w.]+|[\w.]+\s*[!=]==?\s*\w*(secret|token|signature|digest|hmac|Hash|csrf)\w*\b(?!\.length)/i
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name)
        if (statSync(p).isDirectory()) walk(p)
        else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) {
          readFileSync(p, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (risky.test(line) && !/typeof|\.length|\bkind\b|startsWith/.test(line))
                offenders.push(`${p.slice(src.length)}:${i + 1}: ${line.trim()}`)
            })
        }
      }
    }
    walk(src)
    expect(offenders).toEqual([])
  })
})
