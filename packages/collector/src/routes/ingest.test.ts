import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gzipSync } from 'node:zlib'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'

const ev = (i: number, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Thing Done',
  anonymousId: `anon-${i}`,
  messageId: `msg-${i}-${Math.random()}`,
  ...extra,
})

describe.each(BACKENDS)('ingest API on %s', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  const count = async (ids: string[]) =>
    Number(
      (
        await store.sql`select count(*)::int as n from events where message_id = any(${ids}::text[])`
      )[0]!.n,
    )

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store)
  })
  afterAll(() => store.close())

  it('stores a batch durably and answers 200 with counts', async () => {
    const batch = [ev(1), ev(2), { ...ev(3), type: 'page', name: 'Home' }]
    const res = await t.post('/v1/batch', { batch })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ success: true, accepted: 3, duplicates: 0, rejected: [] })
    expect(await count(batch.map((e) => e.messageId))).toBe(3)
  })

  it('stores each event once when the same batch is sent twice', async () => {
    const batch = [ev(10), ev(11)]
    await t.post('/v1/batch', { batch })
    const again = await (await t.post('/v1/batch', { batch })).json()
    expect(again).toMatchObject({ accepted: 2, duplicates: 2 })
    expect(await count(batch.map((e) => e.messageId))).toBe(2)
  })

  it('stores the valid events of a partly invalid batch and lists the others by index', async () => {
    const batch = [
      ev(20),
      { type: 'track', anonymousId: 'x', messageId: 'no-name' },
      ev(21),
      { type: 'nope', messageId: 'bad-type' },
      ev(22),
    ]
    const res = await t.post('/v1/batch', { batch })
    const body = await res.json()
    expect(res.status).toBe(200)
    expect(body.accepted).toBe(3)
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 3])
    expect(body.rejected[0].messageId).toBe('no-name')
    expect(body.rejected[0].issues[0].path).toEqual(['event'])
    expect(await count([batch[0], batch[2], batch[4]].map((e) => e!.messageId!))).toBe(3)
  })

  it('answers 401 for unknown or missing keys, with a JSON body', async () => {
    const bad = await t.post(
      '/v1/batch',
      { batch: [ev(30)] },
      { authorization: `Basic ${btoa('wk_nope:')}` },
    )
    expect(bad.status).toBe(401)
    expect((await bad.json()).error.code).toBe('unauthorized')
    const none = await t.app.request('/v1/batch', {
      method: 'POST',
      body: JSON.stringify({ batch: [ev(31)] }),
    })
    expect(none.status).toBe(401)
  })

  it('answers 400 for malformed JSON and 413 past the size limits', async () => {
    const bad = await t.post('/v1/batch', '{"batch": [')
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.code).toBe('invalid_json')
    const huge = await t.post('/v1/batch', {
      batch: [ev(40, { properties: { blob: 'x'.repeat(600_000) } })],
    })
    expect(huge.status).toBe(413)
    expect((await huge.json()).error.code).toBe('payload_too_large')
    const many = await t.post('/v1/batch', {
      batch: Array.from({ length: 2501 }, (_, i) => ({
        type: 'track',
        event: 'e',
        anonymousId: String(i),
      })),
    })
    expect(many.status).toBe(413)
    const bigEvent = await t.post('/v1/track', ev(41, { properties: { blob: 'y'.repeat(40_000) } }))
    expect(bigEvent.status).toBe(413)
  })

  it('measures each event past 32 KB as stored, even when the request text is smaller', async () => {
    const big = ev(42, { properties: { blob: 'z'.repeat(40_000) } })
    const small = ev(43)
    // 3,000 numbers written `1e20`: 15 KB of text, 63 KB once parsed and serialized again.
    const body = JSON.stringify({ batch: [small, { ...ev(44), properties: { n: [] } }] }).replace(
      '"n":[]',
      `"n":[${Array(3000).fill('1e20').join(',')}]`,
    )
    expect(body.length).toBeLessThan(32 * 1024)
    for (const res of [
      await t.post('/v1/batch', { batch: [big, small] }),
      await t.post('/v1/batch', body),
    ]) {
      expect(res.status).toBe(200)
      const out = await res.json()
      expect(out.accepted).toBe(1)
      expect(out.rejected).toHaveLength(1)
      expect(out.rejected[0].issues[0].code).toBe('too_big')
    }
  })

  it('accepts beacons: text/plain with the write key in the body', async () => {
    const e = ev(50)
    const res = await t.app.request('/v1/batch', {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ batch: [e], writeKey: t.ws.writeKey }),
    })
    expect(res.status).toBe(200)
    expect(await count([e.messageId])).toBe(1)
  })

  it('serves the single-event routes and the analytics.js short aliases', async () => {
    const ids: string[] = []
    for (const [path, body] of [
      ['/v1/track', ev(60)],
      ['/v1/t', ev(61)],
      ['/v1/page', { anonymousId: 'p', messageId: 'pg-1' }],
      ['/v1/p', { anonymousId: 'p', messageId: 'pg-2' }],
      ['/v1/identify', { userId: 'u-60', messageId: 'id-1', traits: { a: 1 } }],
      ['/v1/i', { userId: 'u-61', messageId: 'id-2' }],
      ['/v1/group', { userId: 'u-60', groupId: 'g1', messageId: 'gr-1' }],
      ['/v1/g', { userId: 'u-60', groupId: 'g1', messageId: 'gr-2' }],
      ['/v1/alias', { userId: 'u-62', previousId: 'p', messageId: 'al-1' }],
      ['/v1/a', { userId: 'u-63', previousId: 'q', messageId: 'al-2' }],
      ['/v1/screen', { anonymousId: 's', messageId: 'sc-1' }],
      ['/v1/s', { anonymousId: 's', messageId: 'sc-2' }],
      ['/v1/b', { batch: [ev(62)] }],
    ] as const) {
      const res = await t.post(path, body)
      expect(res.status, path).toBe(200)
      ids.push('batch' in body ? body.batch[0].messageId : body.messageId)
    }
    expect(await count(ids)).toBe(ids.length)
    const [row] = await store.sql`select type from events where message_id = 'pg-2'`
    expect(row!.type).toBe('page')
  })

  it('lets any origin read the answers to its POSTs, errors included', async () => {
    const origin = { origin: 'https://shop.example' }
    const ok = await t.post('/v1/batch', { batch: [ev(900)] }, origin)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('access-control-allow-origin')).toBe('*')
    const bad = await t.app.request('/v1/batch', {
      method: 'POST',
      headers: {
        ...origin,
        'content-type': 'application/json',
        authorization: `Basic ${btoa(`${t.ws.writeKey}:`)}`,
      },
      body: '{"batch": [',
    })
    expect(bad.status).toBe(400)
    expect(bad.headers.get('access-control-allow-origin')).toBe('*')
    const unauthorised = await t.post(
      '/v1/batch',
      { batch: [ev(901)] },
      { ...origin, authorization: 'Basic bm9wZTo=' },
    )
    expect(unauthorised.status).toBe(401)
    expect(unauthorised.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('answers CORS preflights for any origin with Authorization and Content-Type', async () => {
    const res = await t.app.request('/v1/b', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    expect(res.status).toBeLessThan(300)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    )
  })

  it('inflates gzip bodies', async () => {
    const e = ev(70)
    const res = await t.app.request('/v1/batch', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: `Basic ${btoa(t.ws.writeKey + ':')}`,
      },
      body: gzipSync(JSON.stringify({ batch: [e] })),
    })
    expect(res.status).toBe(200)
    expect(await count([e.messageId])).toBe(1)
  })

  it('keeps hostile keys and characters as plain data', async () => {
    const body = `{"batch":[{"type":"track","event":"x","anonymousId":"h","messageId":"hostile-1","properties":{"__proto__":{"polluted":true},"nul":"a\\u0000b","lone":"\\ud800"}}]}`
    const res = await t.post('/v1/batch', body)
    expect(res.status).toBe(200)
    const [row] = await store.sql`select payload from events where message_id = 'hostile-1'`
    const props = row!.payload.properties
    expect(Object.hasOwn(props, '__proto__')).toBe(true)
    expect(props.nul).toBe('a\ufffdb')
    expect(props.lone).toBe('\ufffd')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('rejects absurd nesting with 400 rather than crashing', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000)
    const res = await t.post(
      '/v1/batch',
      `{"batch":[{"type":"track","event":"x","anonymousId":"d","properties":{"a":${deep}}}]}`,
    )
    expect(res.status).toBe(400)
  })

  it('enriches: received time, IP, user agent, campaign, referrer domain, clock skew', async () => {
    const sentAt = '2030-01-01T00:00:10.000Z' // client clock 4 years ahead
    const res = await t.post(
      '/v1/batch',
      {
        sentAt,
        batch: [
          {
            ...ev(80, { messageId: 'enrich-1' }),
            timestamp: '2030-01-01T00:00:00.000Z',
            context: {
              page: {
                url: 'https://acme.test/pricing?utm_source=news&utm_campaign=spring',
                referrer: 'https://www.google.com/search?q=x',
              },
            },
          },
        ],
      },
      {
        'user-agent':
          'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      },
    )
    expect(res.status).toBe(200)
    const [row] =
      await store.sql`select timestamp, received_at, payload from events where message_id = 'enrich-1'`
    const ctx = row!.payload.context
    expect(ctx.ip).toBe('203.0.113.9')
    expect(ctx.browser.name).toBe('Chrome')
    expect(ctx.os.name).toBe('macOS')
    expect(ctx.campaign).toEqual({ source: 'news', name: 'spring' })
    expect(ctx.referrerDomain).toBe('google.com')
    // timestamp = receivedAt − (sentAt − timestamp): 10 s before receipt
    expect(row!.received_at.getTime() - row!.timestamp.getTime()).toBe(10_000)
    expect(row!.payload.originalTimestamp).toBe('2030-01-01T00:00:00.000Z')
  })

  it('answers 400 when no event in the request is valid', async () => {
    const res = await t.post('/v1/batch', { batch: [{ type: 'track' }] })
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error.code).toBe('invalid_events')
    expect(body.rejected).toHaveLength(1)
  })
})
