import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { LookupAddress } from 'node:dns'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { createPinnedFetch } from './pinned-fetch.js'
import { createWebhookWorker } from './worker.js'

// Name resolution is a stand-in (no resolver here can be made to answer 127.0.0.1 for a public
// name); the HTTP request and the receiver on 127.0.0.1 are real.
describe('pinned webhook fetch', () => {
  let server: Server
  let port = 0
  const received: { body: string; signature: unknown }[] = []
  let store: TestStore

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        received.push({ body, signature: req.headers['lodestone-signature'] })
        res.writeHead(202).end('ok')
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as { port: number }).port
    store = await openTestStore('postgres')
  })
  afterAll(async () => {
    server.close()
    await store.close()
  })

  const answers =
    (...rounds: string[][]) =>
    async (): Promise<LookupAddress[]> =>
      (rounds.length > 1 ? rounds.shift()! : rounds[0]!).map((address) => ({
        address,
        family: address.includes(':') ? 6 : 4,
      }))

  it('connects to the address it checked, and refuses a private one', async () => {
    received.length = 0
    const url = `http://rebind.example:${port}/hook`
    const allowed = createPinnedFetch({ resolve: answers(['127.0.0.1']), allowPrivate: true })
    const res = await allowed(url, { method: 'POST', body: '{"a":1}' })
    expect(res.status).toBe(202)
    expect(received).toEqual([{ body: '{"a":1}', signature: undefined }])

    const strict = createPinnedFetch({ resolve: answers(['127.0.0.1']) })
    await expect(strict(url, { method: 'POST', body: '{}' })).rejects.toThrow(/private/)
    const mapped = createPinnedFetch({ resolve: answers(['::ffff:127.0.0.1']) })
    await expect(mapped(url, { method: 'POST', body: '{}' })).rejects.toThrow(/private/)
    expect(received).toHaveLength(1)
  })

  it('a name public at the check and loopback at connect time is not delivered', async () => {
    received.length = 0
    const t = await createTestApp(store)
    const res = await t.app.request('/v1/webhooks', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://rebind.example:${port}/hook` }),
    })
    expect(res.status).toBe(201)
    const hook = await res.json()
    await t.post('/v1/batch', {
      batch: [{ type: 'track', event: 'Demo Requested', anonymousId: 'pf-1', messageId: 'pf-1' }],
    })
    // The worker's own check sees a public address; the connection's lookup then gets loopback.
    const worker = createWebhookWorker({
      outbox: store,
      lookup: async () => [{ address: '203.0.113.7' }],
      fetch: createPinnedFetch({ resolve: answers(['127.0.0.1']) }),
    })
    expect(await worker.tick()).toBeGreaterThan(0)
    expect(received).toHaveLength(0)
    const log = await (await t.get(`/v1/webhooks/${hook.id}/deliveries`)).json()
    expect(log.deliveries.length).toBeGreaterThan(0)
    for (const d of log.deliveries)
      expect(d).toMatchObject({ status: 'pending', lastError: 'connection failed' })
  })
})
