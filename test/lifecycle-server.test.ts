import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhook } from '../packages/collector/src/webhooks/sign.js'
import { createSender } from '../examples/server/src/sender.js'
import { sendPurchaseHistory, sendSupportTrouble } from '../examples/server/src/story.js'
import { startCollector } from './support/collector.js'

// The customer story of docs/lifecycle.md, end to end: Segment's own Node library
// (@segment/analytics-node, unchanged) → a real collector on loopback → computed traits,
// alerts, and a signed webhook to a local HTTP receiver (standing in for a CRM).

interface Received {
  body: string
  signature: string
  payload: { type: string; contactId: string; data: Record<string, unknown> }
}

function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => {
      received.push({
        body,
        signature: String(req.headers['lodestone-signature'] ?? ''),
        payload: JSON.parse(body),
      })
      res.writeHead(200).end('ok')
    })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        received,
      }),
    ),
  )
}

async function until<T>(what: string, fn: () => Promise<T | null> | T | null, ms = 20_000) {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== null) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('lifecycle events from @segment/analytics-node', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  let hookSecret: string
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${collector.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${collector.secretKey}`,
        'content-type': 'application/json',
      },
    })
  const contact = async (userId: string) => {
    const res = await api(`/v1/contacts/lookup?userId=${userId}`)
    return res.status === 200 ? res.json() : null
  }

  beforeAll(async () => {
    // The receiver listens on loopback, which webhooks refuse by default.
    collector = await startCollector({ config: { webhooks: { allowPrivate: true } } })
    receiver = await startReceiver()
    const res = await api('/v1/webhooks', {
      method: 'POST',
      body: JSON.stringify({ url: receiver.url, events: ['alert.fired'] }),
    })
    expect(res.status).toBe(201)
    hookSecret = (await res.json()).secret
  })
  afterAll(async () => {
    await collector?.stop()
    await new Promise((r) => receiver?.server.close(r))
  })

  it('computes traits, fires each alert once and delivers signed webhooks', async () => {
    const analytics = createSender({ host: collector.url, secretKey: collector.secretKey })
    const errors: unknown[] = []
    analytics.on('error', (e) => errors.push(e))
    const userId = 'cust-42'

    sendPurchaseHistory(analytics, { userId })
    await analytics.flush()
    const before = await until('the contact', () => contact(userId))
    expect(before.traits).toMatchObject({
      email: 'ana@acme.example',
      country: 'DE',
      phone: '+49301234567',
      dealsWon: 1,
      orderCount: 2,
      totalRevenue: 600,
      lifetimeValue: 1800,
      ticketsOpen: 0,
      churnRisk: 20,
    })

    sendSupportTrouble(analytics, { userId })
    await analytics.flush()
    const after = await contact(userId)
    expect(after.traits).toMatchObject({
      ticketsTotal: 3,
      ticketsOpen: 3,
      ticketsLast30Days: 3,
      csat: 2,
      lifetimeValue: 1800,
    })
    expect(after.traits.churnRisk).toBe(65)
    expect(after.traits.churnRisk).toBeGreaterThan(before.traits.churnRisk)

    // Another poor answer: the alerts already hold, nothing fires again.
    analytics.track({
      userId,
      event: 'Survey Responded',
      properties: { kind: 'csat', score: 1 },
    })
    await analytics.closeAndFlush()
    expect(errors).toEqual([])

    const alerts = (await (await api(`/v1/contacts/${after.id}/alerts`)).json()).alerts
    expect(alerts.map((a: { ruleId: string }) => a.ruleId).sort()).toEqual([
      'churn-high',
      'csat-low',
      'ticket-burst',
    ])

    const delivered = await until('three webhook deliveries', () =>
      receiver.received.length >= 3 ? receiver.received : null,
    )
    // Give a wrongly repeated alert time to arrive before counting.
    await new Promise((r) => setTimeout(r, 1500))
    expect(delivered.map((d) => d.payload.data.ruleId).sort()).toEqual([
      'churn-high',
      'csat-low',
      'ticket-burst',
    ])
    for (const d of delivered) {
      expect(d.payload).toMatchObject({ type: 'alert.fired', contactId: after.id })
      const now = Math.floor(Date.now() / 1000)
      expect(await verifyWebhook(hookSecret, d.body, d.signature, now)).toBe(true)
      expect(await verifyWebhook('wrong-secret', d.body, d.signature, now)).toBe(false)
    }
    const csat = delivered.find((d) => d.payload.data.ruleId === 'csat-low')!
    expect(csat.payload.data).toMatchObject({ value: 2, message: 'CSAT 2 is below 3' })
  })

  it('refuses lifecycle events sent with the public write key', async () => {
    const analytics = createSender({ host: collector.url, secretKey: collector.writeKey })
    const errors: unknown[] = []
    analytics.on('error', (e) => errors.push(e))
    analytics.track({
      userId: 'sneaky',
      event: 'Deal Won',
      properties: { dealId: 'X', amount: 1e6, currency: 'USD' },
    })
    await analytics.closeAndFlush()
    // Every event of the request was refused (400): Segment's client reports it as failed.
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ code: 'delivery_failure' })
    expect(await contact('sneaky')).toBeNull()
  })
})
