import { describe, expect, it, vi } from 'vitest'
import { fakeCollector, networkError, status } from '../test-support/fakes.js'
import { createTransport } from './transport.js'

const events = [{ type: 'track' as const, event: 'x', messageId: 'm1', anonymousId: 'a' }]

describe('transport', () => {
  it('posts JSON with Basic auth, keepalive and the write key in the body', async () => {
    const c = fakeCollector()
    const send = createTransport({ host: 'https://c.test/', writeKey: 'wk_1', fetch: c.fetch })
    expect(await send(events, false)).toEqual({ ok: true })
    const [r] = c.requests
    expect(r!.url).toBe('https://c.test/v1/batch')
    expect(r!.headers).toEqual({
      'Content-Type': 'application/json',
      Authorization: `Basic ${btoa('wk_1:')}`,
    })
    expect(r!.keepalive).toBe(true)
    expect(r!.body.writeKey).toBe('wk_1')
    expect(r!.body.batch).toEqual(events)
    expect(Date.parse(r!.body.sentAt)).not.toBeNaN()
  })

  // Pitfall (posthog-js PR 4139): a JSON beacon needs a CORS preflight, which never completes
  // once the page is gone, so the bouncing visitor's last batch was silently lost.
  it('unload sends are CORS-simple: text/plain, no Authorization, write key in the body', async () => {
    const c = fakeCollector()
    const send = createTransport({ host: 'https://c.test', writeKey: 'wk_1', fetch: c.fetch })
    await send(events, true)
    expect(c.requests[0]!.headers).toEqual({ 'Content-Type': 'text/plain' })
    expect(c.requests[0]!.keepalive).toBe(true)
    expect(c.requests[0]!.body.writeKey).toBe('wk_1')
  })

  it('falls back to sendBeacon (a string body: text/plain) past the 64 KB keepalive budget', async () => {
    const c = fakeCollector()
    const sendBeacon = vi.fn(() => true)
    const send = createTransport({
      host: 'https://c.test',
      writeKey: 'wk_1',
      fetch: c.fetch,
      sendBeacon,
    })
    const big = [{ ...events[0]!, properties: { blob: 'x'.repeat(70_000) } }]
    expect(await send(big, true)).toEqual({ ok: true })
    expect(c.requests).toHaveLength(0)
    const [url, body] = sendBeacon.mock.calls[0] as unknown as [string, string]
    expect(url).toBe('https://c.test/v1/batch')
    expect(typeof body).toBe('string')
    expect(JSON.parse(body).writeKey).toBe('wk_1')
  })

  it('a refused beacon is a retry, not a loss', async () => {
    const send = createTransport({ host: 'h', writeKey: 'k', sendBeacon: () => false })
    expect(await send(events, true)).toEqual({ ok: false, retry: true })
  })

  it('retries network errors, 5xx, 408 and 429 (with Retry-After); other 4xx are final', async () => {
    const c = fakeCollector()
    const send = createTransport({ host: 'h', writeKey: 'k', fetch: c.fetch })
    c.respond(
      networkError(),
      status(503, { 'Retry-After': '2' }),
      status(408),
      status(429, { 'Retry-After': '5' }),
      status(400),
      status(401),
      status(413),
    )
    expect(await send(events, false)).toEqual({ ok: false, retry: true })
    expect(await send(events, false)).toMatchObject({ ok: false, retry: true, retryAfterMs: 2000 })
    expect(await send(events, false)).toMatchObject({ ok: false, retry: true, status: 408 })
    expect(await send(events, false)).toMatchObject({ ok: false, retry: true, retryAfterMs: 5000 })
    for (const s of [400, 401, 413])
      expect(await send(events, false)).toMatchObject({ ok: false, retry: false, status: s })
  })
})
