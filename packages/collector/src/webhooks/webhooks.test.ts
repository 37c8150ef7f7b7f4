import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { createWebhookWorker } from './worker.js'
import { verifyWebhook } from './sign.js'

interface Received {
  body: string
  headers: Record<string, string | string[] | undefined>
}

describe('webhooks: signed, retried, logged', () => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  let server: Server
  let url = ''
  const received: Received[] = []
  let failNext = 0

  beforeAll(async () => {
    store = await openTestStore('postgres')
    // The receiver listens on loopback, which webhooks refuse by default.
    t = await createTestApp(store, undefined, { webhooks: { allowPrivate: true } })
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        if (failNext > 0) {
          failNext--
          res.writeHead(503).end()
          return
        }
        received.push({ body, headers: req.headers })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const addr = server.address()
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`
  })
  afterAll(async () => {
    server.close()
    await store.close()
  })

  it('validates webhook registrations', async () => {
    const bad = await t.app.request('/v1/webhooks', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'ftp://x', events: ['nope'] }),
    })
    expect(bad.status).toBe(400)
  })

  it('delivers a grade change with a valid signature, retrying a failing endpoint', async () => {
    const res = await t.app.request('/v1/webhooks', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url, events: ['contact.grade_changed'] }),
    })
    expect(res.status).toBe(201)
    const hook = await res.json()
    expect(hook.secret).toMatch(/^whsec_/)

    // default rules: a demo request is worth 30 points → warm
    const ok = await t.post('/v1/batch', {
      batch: [
        { type: 'track', event: 'Demo Requested', anonymousId: 'wh-visitor', messageId: 'wh-1' },
      ],
    })
    expect(ok.status).toBe(200)

    const worker = createWebhookWorker({ outbox: store, allowPrivate: true })
    failNext = 1
    expect(await worker.tick()).toBe(1)
    expect(received).toHaveLength(0)
    let log = await (await t.get(`/v1/webhooks/${hook.id}/deliveries`)).json()
    expect(log.deliveries[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503 })

    await store.sql`update webhook_deliveries set next_attempt_at = now() where webhook_id = ${hook.id}`
    expect(await worker.tick()).toBe(1)
    expect(received).toHaveLength(1)
    const { body, headers } = received[0]!
    expect(headers['lodestone-event']).toBe('contact.grade_changed')
    const signature = String(headers['lodestone-signature'])
    expect(await verifyWebhook(hook.secret, body, signature, Math.floor(Date.now() / 1000))).toBe(
      true,
    )
    expect(
      await verifyWebhook(hook.secret, body + ' ', signature, Math.floor(Date.now() / 1000)),
    ).toBe(false)
    const payload = JSON.parse(body)
    expect(payload).toMatchObject({
      type: 'contact.grade_changed',
      data: { grade: 'warm', previousGrade: 'cold' },
    })

    log = await (await t.get(`/v1/webhooks/${hook.id}/deliveries`)).json()
    expect(log.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204 })
    expect(await worker.tick()).toBe(0) // nothing delivered twice
  })

  it('only the subscribed event types reach an endpoint', async () => {
    received.length = 0
    await t.post('/v1/batch', {
      batch: [
        { type: 'identify', anonymousId: 'wh-2', traits: { company: 'Acme' }, messageId: 'wh-2' },
      ],
    })
    const worker = createWebhookWorker({ outbox: store, allowPrivate: true })
    await worker.tick()
    expect(received).toHaveLength(0) // traits changed, but the hook wants grade changes only
  })

  it('refuses internal URLs at registration unless private targets are allowed', async () => {
    const strict = await createTestApp(store)
    const register = (url: string) =>
      strict.app.request('/v1/webhooks', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${strict.ws.secretKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ url }),
      })
    for (const bad of [
      url, // the loopback receiver
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/hook',
      'http://[::1]:8080/hook',
      'http://2130706433/hook', // 127.0.0.1 in decimal
      'http://localhost:3000/hook',
    ]) {
      const res = await register(bad)
      expect(res.status, bad).toBe(400)
      const body = await res.json()
      expect(body.error.code).toBe('bad_request')
      expect(body.error.message).toMatch(/private or loopback/)
    }
    expect((await register('https://hooks.example.com/lodestone')).status).toBe(201)
    expect(await store.listWebhooks(strict.ws.id)).toHaveLength(1)
  })

  it('refuses a delivery whose host resolves to a private address (DNS rebinding)', async () => {
    received.length = 0
    const strict = await createTestApp(store)
    const port = new URL(url).port
    // A public-looking name passes registration; at delivery it resolves to loopback.
    const res = await strict.app.request('/v1/webhooks', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${strict.ws.secretKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ url: `http://rebind.example:${port}/hook` }),
    })
    expect(res.status).toBe(201)
    const hook = await res.json()
    await strict.post('/v1/batch', {
      batch: [{ type: 'track', event: 'Demo Requested', anonymousId: 'rb-1', messageId: 'rb-1' }],
    })
    // Stand-in for DNS: no resolver here can be made to answer with 127.0.0.1 for a name.
    const lookups: string[] = []
    const worker = createWebhookWorker({
      outbox: store,
      lookup: async (host) => {
        lookups.push(host)
        return [{ address: '203.0.113.7' }, { address: '::ffff:127.0.0.1' }]
      },
    })
    expect(await worker.tick()).toBeGreaterThan(0)
    expect(lookups).toContain('rebind.example')
    expect(received).toHaveLength(0)
    const log = await (await strict.get(`/v1/webhooks/${hook.id}/deliveries`)).json()
    expect(log.deliveries.length).toBeGreaterThan(0)
    for (const d of log.deliveries) {
      expect(d).toMatchObject({ status: 'pending', lastStatus: null })
      expect(d.lastError).toMatch(/^refused: .*private or loopback/)
    }
  })
})
