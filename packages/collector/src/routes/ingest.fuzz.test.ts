import fc from 'fast-check'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import {
  hostileJson,
  hostileString,
  nested,
  prototypeFingerprint,
  runs,
} from '../test-support/hostile.js'

// Hostile bytes, headers and routes against every ingest path: each answer is 200 or a JSON 4xx.
// Stored-intact checks on well-formed but hostile events are in ingest-events.fuzz.test.ts.

const ROUTES = ['batch', 'b', 'import', 'track', 't', 'page', 'p', 'screen', 's']
  .concat(['identify', 'i', 'group', 'g', 'alias', 'a'])
  .map((r) => `/v1/${r}`)

let store: TestStore
let t: Awaited<ReturnType<typeof createTestApp>>
const statuses = new Map<number, number>()
let cases = 0
const before = prototypeFingerprint()

beforeAll(async () => {
  store = await openTestStore('pglite')
  t = await createTestApp(store)
})
afterAll(async () => {
  console.log(
    `[fuzz] ingest bytes/headers: ${cases} cases, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  )
  await store?.close()
})

/** Sends one request and checks the answer's contract: 200 success, or 4xx JSON error. */
async function send(path: string, body: BodyInit, headers: Record<string, string>) {
  cases++
  const res = await t.app.request(path, { method: 'POST', headers, body })
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
  const text = await res.text()
  expect(res.status, text.slice(0, 300)).not.toBeGreaterThanOrEqual(500)
  const json = JSON.parse(text)
  if (res.status === 200) expect(json.success).toBe(true)
  else {
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(json.success).toBe(false)
    expect(typeof json.error.code).toBe('string')
    expect(typeof json.error.message).toBe('string')
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  return { status: res.status, json }
}

const validEvent = (i: number) => ({
  type: 'track',
  event: 'Fuzzed',
  anonymousId: `fz-${i}`,
  messageId: `fz-bytes-${i}-${Math.random()}`,
})

/** Bodies: broken JSON, JSON of the wrong shape, deep nesting, huge or non-UTF-8 payloads. */
const bodyArb: fc.Arbitrary<{ body: BodyInit; gzip?: boolean }> = fc.oneof(
  hostileString.map((s) => ({ body: s })),
  hostileJson.map((v) => ({ body: JSON.stringify(v) ?? 'undefined' })),
  fc.tuple(fc.nat(5), fc.nat(200), hostileString).map(([i, cut, junk]) => {
    const text = JSON.stringify({ batch: [validEvent(i)] })
    return { body: text.slice(0, cut) + junk + text.slice(cut) }
  }),
  fc.constantFrom(31, 32, 33, 100, 5_000, 100_000).map((d) => ({
    body: `{"batch":[{"type":"track","event":"x","anonymousId":"d","properties":${'['.repeat(d)}${']'.repeat(d)}}]}`,
  })),
  fc.constantFrom(8, 40).map((d) => ({
    body: JSON.stringify({ type: 'track', event: 'x', anonymousId: 'd', properties: nested(d) }),
  })),
  fc.constantFrom(499 * 1024, 501 * 1024, 2 * 1024 * 1024).map((n) => ({
    body: JSON.stringify({ batch: [validEvent(n)], pad: 'x'.repeat(n) }),
  })),
  fc.constantFrom(2_499, 2_501, 10_000).map((n) => ({
    body: JSON.stringify({ batch: Array.from({ length: n }, () => 1) }),
  })),
  fc.uint8Array({ maxLength: 300 }).map((b) => ({ body: new Uint8Array(b) })),
  fc.nat(3).map((i) => ({ body: JSON.stringify({ batch: [validEvent(i)] }), gzip: true })),
  // A gzip bomb: 20 MB of zeros compressed to ~20 KB must stop at the cap.
  fc.constant({ body: gzipSync(Buffer.alloc(20 * 1024 * 1024)), gzip: true }),
)

const headerArb = (writeKey: string, secretKey: string) =>
  fc.record({
    'content-type': fc.constantFrom(
      'application/json',
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      '',
      '*/*;;;',
    ),
    'content-encoding': fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 6 },
      fc.constantFrom('identity', 'gzip', 'deflate', 'br', 'x', ''),
    ),
    authorization: fc.oneof(
      { arbitrary: fc.constant(`Basic ${btoa(`${writeKey}:`)}`), weight: 8 },
      fc.constant(`Bearer ${secretKey}`),
      fc.constant(`Bearer ${writeKey}`),
      fc.constant('Basic !!!not-base64'),
      fc.constant(`Basic ${btoa(`${secretKey}:`)}`),
      fc.constant(`Basic ${btoa('wk_' + 'A'.repeat(200) + ':')}`),
      fc.constant(`Basic ${btoa(`:${writeKey}`)}`),
      fc.string({ unit: fc.nat({ max: 0xff }).map((n) => String.fromCharCode(n)), maxLength: 60 }),
      fc.constant(undefined),
    ),
  })

describe('ingest routes under hostile bytes and headers', () => {
  it('answer 200 or a JSON 4xx, never 500, and never touch Object.prototype', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        bodyArb,
        headerArb(t.ws.writeKey, t.ws.secretKey),
        async (path, { body, gzip }, rawHeaders) => {
          const headers: Record<string, string> = {}
          for (const [k, v] of Object.entries(rawHeaders))
            if (v !== undefined && !/[\r\n\0]/.test(v)) headers[k] = v.trim()
          if (gzip && typeof body === 'string') body = gzipSync(body)
          if (gzip) headers['content-encoding'] = 'gzip'
          await send(path, body, headers)
        },
      ),
      { numRuns: runs(800) },
    )
    expect(prototypeFingerprint()).toBe(before)
  })

  it('answers 413 past the request cap, also after gzip inflation, and stores nothing', async () => {
    const bomb = await send('/v1/batch', gzipSync(Buffer.alloc(20 * 1024 * 1024)), {
      'content-encoding': 'gzip',
      authorization: `Basic ${btoa(`${t.ws.writeKey}:`)}`,
    })
    expect(bomb.status).toBe(413)
    const big = await send(
      '/v1/b',
      JSON.stringify({
        batch: [{ ...validEvent(1), messageId: 'fz-cap' }],
        pad: 'x'.repeat(501 * 1024),
      }),
      { authorization: `Basic ${btoa(`${t.ws.writeKey}:`)}`, 'content-type': 'text/plain' },
    )
    expect(big.status).toBe(413)
    const [row] = await store.sql`select count(*)::int as n from events where message_id = 'fz-cap'`
    expect(row!.n).toBe(0)
  })
})
