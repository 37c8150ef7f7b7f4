import fc from 'fast-check'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { keyFor } from '../test-support/team.js'
import {
  FUZZ_BACKEND,
  hostileJson,
  hostileObject,
  hostileString,
  percentEncode,
  prototypeFingerprint,
  recordFailure,
  ROUTE_FUZZ_SEED,
  runs,
  safeString,
} from '../test-support/hostile.js'
import {
  forgedCursor,
  newTally,
  rawQueryArb,
  sendHeldToContract,
} from '../test-support/api-contract.js'
import { permissionOf, scopesHold } from '../auth/permissions.js'
import type { Scope } from '../team/port.js'

// Every API route (read from the app, `app.routes`) under hostile bodies, content types, path
// parameters and query strings, with the secret key, with a key lacking the route's scope and with
// no key: each answer is below 500, a 4xx carries a JSON error code, and /health still answers.
// The read API (contacts, lookups, events, exports, deliveries) gets a focused campaign of its own
// in read-api.fuzz.test.ts: contact refs, forged cursors, broken percent-encoding, on PostgreSQL.
// Ingest's own bytes and events are fuzzed deeper in ingest*.fuzz.test.ts; the dashboard's form
// posts in dashboard/dashboard.fuzz.test.ts.

const SEED = ROUTE_FUZZ_SEED
const BACKEND = FUZZ_BACKEND
let store: TestStore
let t: Awaited<ReturnType<typeof createTestApp>>
const routes: { method: string; path: string }[] = []
const ids: string[] = []
const scoped: Partial<Record<Scope, string>> = {}
const tally = newTally()
const before = prototypeFingerprint()
// A streamed answer that fails after its 200 is logged by Hono (console.error), not answered:
// the campaign counts those as failures too (a file cut off is silent loss).
const streamErrors = vi.spyOn(console, 'error')

beforeAll(async () => {
  store = await openTestStore(BACKEND)
  t = await createTestApp(store)
  for (const s of ['write', 'read'] as const) scoped[s] = await keyFor(store.team, t.ws.id, [s])
  const seen = new Set<string>()
  for (const r of t.app.routes) {
    const name = `${r.method} ${r.path}`
    if (r.method === 'ALL' || seen.has(name) || r.path.startsWith('/app')) continue
    seen.add(name)
    routes.push({ method: r.method, path: r.path })
  }
  // Real ids, so some hostile requests get past "not found" into the route's own code.
  const batch: object[] = ['ada', 'bob'].map((u, i) => ({
    type: 'identify',
    userId: u,
    messageId: `api-fuzz-seed-${i}`,
    traits: { email: `${u}@example.com`, plan: 'pro' },
  }))
  for (const groupId of ['acme', 'acme-cn'])
    batch.push({ type: 'group', userId: 'ada', groupId, messageId: `api-fuzz-${groupId}` })
  expect((await t.post('/v1/batch', { batch })).status).toBe(200)
  const secret = (method: string, path: string, body: unknown) =>
    t.app.request(path, {
      method,
      headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const seg = await secret('POST', '/v1/segments', {
    name: 'Pro',
    conditions: { traits: { plan: 'pro' } },
  })
  expect(seg.status).toBe(201)
  ids.push(((await seg.json()) as { id: string }).id)
  const list = await secret('POST', '/v1/lists', { name: 'Fuzzed' })
  expect(list.status).toBe(201)
  ids.push(((await list.json()) as { id: string }).id)
  const [contact] = await store.sql`select id from contacts limit 1`
  ids.push(String(contact!.id))
  const rules = (await (await t.get('/v1/scoring/rules')).json()) as { rules: object }
  TEMPLATES['PUT /v1/scoring/rules'] = rules.rules
  // Every template is valid as it stands: the mutations are what is hostile.
  for (const [name, body] of Object.entries(TEMPLATES)) {
    const [method, pattern] = name.split(' ') as [string, string]
    const res = await secret(method, pattern.replace(':id', idFor(pattern)), body)
    expect(res.status, `${name} ${await res.text()}`).toBeLessThan(300)
  }
})

afterAll(async () => {
  console.log(
    `[fuzz] api routes: ${routes.length} routes, ${tally.requests} requests, statuses ${JSON.stringify(
      Object.fromEntries([...tally.statuses].sort((a, b) => a[0] - b[0])),
    )}`,
  )
  await store?.close()
})

/** The seeded id a `:id` route of this kind knows (segment, list; else the contact). */
const idFor = (pattern: string) =>
  ids[pattern.startsWith('/v1/segments') ? 0 : pattern.startsWith('/v1/lists') ? 1 : 2]!

/** One request held to the API's error contract (test-support/api-contract.ts). */
const send = (
  method: string,
  path: string,
  init: { headers: Headers; body?: BodyInit; json?: boolean },
) => sendHeldToContract(t.app, tally, method, path, init)

/** Path parameters: real ids, traversal, NUL, very long, not a uuid, any percent-encoded text. */
const paramArb = (real: () => string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...real()), weight: 3 },
    fc.uuid(),
    fc.constantFrom(
      '..%2F..%2Fetc%2Fpasswd',
      '..%2F',
      '%2e%2e',
      '%00',
      'a%00b',
      'x'.repeat(10_000),
      '0',
      '-1',
      '1e309',
      'NaN',
      'null',
      'undefined',
      '__proto__',
      'constructor',
      'email:',
      'email:%00',
      'kind:value',
      ':',
      '%ED%A0%80',
      '%FF%FE',
      '6f1d2c9a-0000-4000-8000-00000000000a%00',
      "'%3B%20drop%20table%20contacts%3B--",
      // Percent-encoding as a client breaks it: not hex, cut short, an encoded slash or percent.
      '%ZZ',
      '%',
      '%E0%A4%A',
      '%2F',
      '%25',
    ),
    hostileString.filter((s) => s.length > 0 && s.length < 2_000).map(percentEncode),
    // Contact refs (`kind:value`, routes/contacts.ts) with hostile kinds and values.
    fc
      .tuple(fc.constantFrom('email', 'userId', 'anonymousId', 'kind', '', '__proto__'), safeString)
      .map(([k, v]) => encodeURIComponent(`${k}:${v}`)),
  )

const QUERY_KEYS = ['limit', 'cursor', 'next', 'sort', 'order', 'from', 'to', 'since', 'until']
  .concat(['q', 'query', 'segment', 'grade', 'stage', 'status', 'days', 'period', 'format'])
  .concat(['email', 'userId', 'anonymousId', 'kind', 'value', 'trait.plan', 'trait.__proto__'])
  .concat(['__proto__', 'constructor', 'key', 'keys', 'window', 'groupBy', 'fields', 'page'])
  .concat(['trait', 'topic', 'scoreMin', 'scoreMax', 'ltvMin', 'churnMin', 'ticketsMin', 'seen'])
  .concat(['source', 'campaign', 'account', 'list', 'dir', 'actor', 'action', 'conversion'])
  .concat(['attribution', 'show', 'contactId', 'writeKey', 'path', 'missingEmail', 'bom', 'wait'])
  .concat(['trait.', 'trait.constructor'])

const queryValue = fc.oneof(
  fc.constantFrom('', '-1', '0', '1e309', '-0', 'NaN', 'Infinity', '99999999999999999999'),
  fc.constantFrom('%00', '%ED%A0%80', 'a%26b%3Dc', '2024-02-30', 'asc', 'desc', '%2e%2e%2F'),
  fc.constantFrom('x'.repeat(20_000), 'bnVsbA', 'eyJpZCI6MX0', 'W10', '__proto__'),
  fc.integer().map(String),
  hostileString.filter((s) => s.length < 2_000).map(percentEncode),
  forgedCursor,
)

/** A query string with repeated and hostile keys (`trait.<anything>` among them). */
const queryArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(
            { arbitrary: fc.constantFrom(...QUERY_KEYS), weight: 4 },
            hostileString,
            safeString.map((k) => `trait.${k}`),
          ),
          queryValue,
        ),
        { maxLength: 6 },
      )
      .map((pairs) =>
        pairs.length === 0
          ? ''
          : '?' +
            pairs
              .map(([k, v]) => `${/^[\w.]+$/.test(k) ? k : percentEncode(k.slice(0, 200))}=${v}`)
              .join('&'),
      ),
  },
  { weight: 1, arbitrary: rawQueryArb },
)

const nestedText = (d: number) => '['.repeat(d) + ']'.repeat(d)

/** Bodies: hostile JSON values, JSON-looking non-JSON, deep nesting, arrays for objects. */
const bodyArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: hostileObject.map((v) => JSON.stringify(v)), weight: 4 },
  { arbitrary: hostileJson.map((v) => JSON.stringify(v) ?? 'null'), weight: 3 },
  fc.array(hostileObject, { maxLength: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '',
    '{',
    '{"a":1e309}',
    '{"limit":-0}',
    'NaN',
    '-0',
    '1e309',
    '{"name":NaN}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"name":"a\\u0000b","conditions":{"traits":{"\\ud800":"\\udfff"}}}',
    '{"name":"x","conditions":{"__proto__":{"a":1}}}',
    '{"name":"x","conditions":[]}',
    '{"name":[],"url":{},"events":"*"}',
    '{"rules":{},"grades":"hot","halfLifeDays":"1e309"}',
    '{"emails":["\\u0000"],"contactIds":[null,{},[]]}',
    '\u0000',
    '\ufeff{}',
    'null',
    '[]',
    '"string"',
  ),
  fc.constantFrom(100, 5_000, 100_000).map(nestedText),
  fc.constantFrom(40, 200).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
  fc.constantFrom(600 * 1024, 3 * 1024 * 1024).map((n) => JSON.stringify({ name: 'x'.repeat(n) })),
  hostileString,
  // The admin bodies' shapes with every field hostile at once (webhooks, scoring rules).
  fc
    .record({ url: fc.oneof(safeString, fc.webUrl()), events: hostileJson })
    .map((v) => JSON.stringify(v)),
  fc
    .record({ rules: hostileJson, grades: hostileJson, version: hostileJson })
    .map((v) => JSON.stringify(v)),
)

const contentTypeArb = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 6 },
  fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'multipart/form-data',
    'text/csv',
    'application/json; charset=utf-16',
    'application/xml',
    '',
    '*/*;;;',
    undefined,
  ),
)

/** A valid body per write route: mutated one node at a time, so hostile values reach the store. */
const SEGMENT = {
  name: 'Pro in a region',
  conditions: {
    all: [{ traits: { plan: 'pro', region: { exists: true } } }, { score: { gte: 30 } }],
  },
}
const TEMPLATES: Record<string, unknown> = {
  // 'PUT /v1/scoring/rules': the default rules, read in beforeAll.
  'PUT /v1/lifecycle/reasons': { lost: ['Price', 'Legal'] },
  'PATCH /v1/lifecycle/reasons': { lost: ['Price'] },
  'PUT /v1/lifecycle/alert-rules': {
    alertRules: [{ id: 'went-hot', kind: 'grade_became', grade: 'hot' }],
  },
  'PATCH /v1/lifecycle/alert-rules': {
    alertRules: [{ id: 'went-hot', kind: 'grade_became', grade: 'hot' }],
  },
  'PUT /v1/lifecycle/traits-config': { currency: 'CNY' },
  'PATCH /v1/lifecycle/traits-config': { currency: 'CNY' },
  'POST /v1/webhooks': { url: 'https://hooks.example.com/in', events: ['segment.entered'] },
  'POST /v1/keys': { name: 'Reporting', scopes: ['read'] },
  'POST /v1/users': { email: 'marie@example.com', role: 'marketer' },
  'POST /v1/segments': SEGMENT,
  'POST /v1/segments/preview': SEGMENT,
  'PUT /v1/segments/:id': SEGMENT,
  'POST /v1/lists': { name: 'Fuzzed' },
  'POST /v1/lists/:id/members': { emails: ['ada@example.com'] },
  'DELETE /v1/lists/:id/members': { contactIds: ['6f1d2c9a-0000-4000-8000-00000000000a'] },
  'POST /v1/accounts/merge': { from: 'acme-cn', into: 'acme' },
  'PUT /v1/accounts/settings': { matchDomains: true },
  'POST /v1/campaigns/costs': {
    costs: [{ campaign: 'spring', day: '2026-01-01', cost: 100, impressions: 1000, clicks: 50 }],
  },
  'PATCH /v1/quality/schedule': { everyDays: 7, enabled: true, thresholds: { missingEmail: 2 } },
}

/** Paths of every node of a JSON value (the root is `[]`). */
function nodePaths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at]
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...nodePaths(x, [...at, i])))
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...nodePaths(x, [...at, k]))
  return out
}

// Number texts JSON.stringify cannot write: put in as a marker string, then swapped in raw.
const RAW = ['1e309', '-1e309', '-0', '1e-400', '123456789012345678901234567890', '0.1e1']
const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileJson, weight: 4 },
  { arbitrary: hostileString, weight: 4 },
  fc.constantFrom(...RAW).map((r) => `@@raw:${r}@@`),
  fc.constantFrom('a\u0000b', '\ud800', 'x\udfff').map((r) => `@@json:${r}@@`),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true}}')),
  fc.array(hostileString, { maxLength: 4 }),
)

/** The template with one node replaced (or a hostile key added beside it). */
function mutated(template: unknown): fc.Arbitrary<string> {
  const paths = nodePaths(template)
  return fc
    .tuple(fc.constantFrom(...paths), hostileLeaf, fc.boolean(), hostileString)
    .map(([path, leaf, addKey, key]) => {
      const copy = structuredClone(template) as Record<string | number, unknown>
      let parent: Record<string | number, unknown> | null = null
      let node: unknown = copy
      for (const k of path) {
        parent = node as Record<string | number, unknown>
        node = parent[k]
      }
      if (addKey && node && typeof node === 'object' && !Array.isArray(node))
        Object.defineProperty(node, key, { value: leaf, enumerable: true, writable: true })
      else if (parent) parent[path[path.length - 1]!] = leaf
      else return JSON.stringify(leaf) ?? 'null'
      return JSON.stringify(copy).replace(/"@@(raw|json):(.*?)@@"/g, (_, kind, v) =>
        kind === 'raw' ? v : `"${v}"`,
      )
    })
}

/** A declared content encoding, with the body gzipped, left as it is (a lie), or a gzip bomb. */
const encodingArb = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 8 },
  fc.record({
    name: fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown', 'gzip, gzip'),
    compress: fc.boolean(),
    bomb: fc.constant(false),
  }),
  fc.constant({ name: 'gzip', compress: false, bomb: true }),
)
// 20 MB of zeros, ~20 KB gzipped: every route must stop at its cap, after inflation too.
const GZIP_BOMB = gzipSync(Buffer.alloc(20 * 1024 * 1024))

const hasBody = (method: string) => method !== 'GET' && method !== 'HEAD'

describe('every API route under hostile input', () => {
  it('answers below 500 with a JSON error code, with the secret key', async () => {
    expect(routes.length).toBeGreaterThan(60)
    const mismatches: string[] = []
    const failures: string[] = []
    for (const r of routes) {
      const run = fc.assert(
        fc.asyncProperty(
          fc.array(
            paramArb(() => ids),
            { minLength: 3, maxLength: 3 },
          ),
          queryArb,
          bodyArb,
          contentTypeArb,
          encodingArb,
          async (params, query, text, contentType, encoding) => {
            let i = 0
            const path = r.path.replace(/:\w+/g, () => params[i++ % 3]!) + query
            const headers = new Headers({ authorization: `Bearer ${t.ws.secretKey}` })
            if (contentType !== undefined) headers.set('content-type', contentType)
            let body: BodyInit = text
            if (encoding !== undefined) {
              headers.set('content-encoding', encoding.name)
              if (encoding.bomb) body = GZIP_BOMB
              else if (encoding.compress) body = gzipSync(text)
            }
            const status = await send(r.method, path, {
              headers,
              body: hasBody(r.method) ? body : undefined,
              // The read API answers JSON, its successes too (the stream is an event stream).
              json: r.method === 'GET' && r.path.startsWith('/v1/') && r.path !== '/v1/stream',
            })
            if (status === 403 && permissionOf(r.method, r.path) !== 'ingest')
              mismatches.push(`${r.method} ${r.path}`)
          },
        ),
        { numRuns: runs(12), seed: SEED, endOnFailure: true },
      )
      await recordFailure(`${r.method} ${r.path}`, run, failures)
    }
    expect(failures).toEqual([])
    expect(streamErrors.mock.calls.map((c) => String(c[0]).slice(0, 300))).toEqual([])
    // The secret key holds every scope: a 403 here would be the table refusing it.
    expect(mismatches).toEqual([])
    expect(prototypeFingerprint()).toBe(before)
  }, 120_000)

  it('answers below 500 to valid bodies with one hostile node, with the secret key', async () => {
    const failures: string[] = []
    const routeNames = routes.map((r) => `${r.method} ${r.path}`)
    expect(Object.keys(TEMPLATES).filter((n) => !routeNames.includes(n))).toEqual([])
    for (const [name, template] of Object.entries(TEMPLATES)) {
      const [method, pattern] = name.split(' ') as [string, string]
      const run = fc.assert(
        fc.asyncProperty(
          mutated(template),
          fc.oneof({ arbitrary: fc.constant(idFor(pattern)), weight: 4 }, fc.constantFrom(...ids)),
          fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain'),
          async (body, id, contentType) => {
            const headers = new Headers({
              authorization: `Bearer ${t.ws.secretKey}`,
              'content-type': contentType,
            })
            await send(method, pattern.replace(':id', id), { headers, body })
          },
        ),
        { numRuns: runs(40), seed: SEED, endOnFailure: true },
      )
      await recordFailure(name, run, failures)
    }
    expect(failures).toEqual([])
    expect(streamErrors.mock.calls.map((c) => String(c[0]).slice(0, 300))).toEqual([])
    expect(prototypeFingerprint()).toBe(before)
  }, 120_000)

  it('answers 401/403 with a JSON error code without a key or with a key lacking the scope', async () => {
    for (const r of routes) {
      const p = permissionOf(r.method, r.path)!
      if (p === 'public') continue
      const lacking = scopesHold(['write'], p) ? scoped.read! : scoped.write!
      const path = r.path.replace(/:\w+/g, '..%2F%00' + 'x'.repeat(3000)) + '?limit=-1&limit=1e309'
      const body = hasBody(r.method) ? '{"__proto__":{"polluted":1},"a":' : undefined
      for (const authorization of [`Bearer ${lacking}`, undefined, 'Bearer sk_not-a-key']) {
        const headers = new Headers({ 'content-type': 'application/json' })
        if (authorization) headers.set('authorization', authorization)
        const status = await send(r.method, path, { headers, body })
        // Ingest routes read their key from the body too: a body that is not JSON is a 400.
        if (p === 'ingest') expect([400, 401, 403]).toContain(status)
        else expect([401, 403], `${r.method} ${r.path}`).toContain(status)
      }
    }
  })

  it('answers every API path under methods it does not have with a JSON 4xx', async () => {
    const paths = [...new Set(routes.map((r) => r.path))]
    for (const pattern of paths) {
      const have = routes.filter((r) => r.path === pattern).map((r) => r.method)
      const path = pattern.replace(/:\w+/g, idFor(pattern))
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']) {
        if (have.includes(method)) continue
        const headers = new Headers({ authorization: `Bearer ${t.ws.secretKey}` })
        const status = await send(method, path, {
          headers,
          body: method === 'GET' ? undefined : '{}',
        })
        // OPTIONS may be a CORS preflight (ingest, personalisation): 204 without a body.
        if (method === 'OPTIONS') expect([204, 404], `${method} ${pattern}`).toContain(status)
        else expect(status, `${method} ${pattern}`).toBeGreaterThanOrEqual(400)
      }
    }
  })

  it('still answers /health afterwards', async () => {
    const res = await t.app.request('/health')
    expect(res.status).toBe(200)
  })
})
