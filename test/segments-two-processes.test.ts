import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Redis } from 'ioredis'
import { describe, expect, inject, it } from 'vitest'
import type { ChildCollector } from './support/child-collector.js'
import { collectorPairs } from './support/collector-pair.js'
import { startUpstashBridge } from './support/upstash-bridge.js'

// Segment Entered / Exited exactly once per transition across two `lodestone start` processes
// on one database and one Redis (behind the Upstash REST stand-in, test/support/upstash-bridge.ts):
// entries caused by events (sent to both processes at once) and exits caused by decay alone
// (both processes run the time sweep every 200 ms) each give one stored event, one signed
// webhook and one live stream entry.

const pairs = collectorPairs()

const PEOPLE = 12
const RULES = {
  // a 10-second half-life: 200 points fall under 50 within about 20 s
  halfLifeDays: 10 / 86_400,
  grades: [{ name: 'cold' }, { name: 'warm', min: 20 }, { name: 'hot', min: 50 }],
  rules: [
    {
      id: 'demo',
      name: 'Demo',
      kind: 'engagement',
      points: 200,
      conditions: { type: 'track', event: 'Demo Requested' },
    },
  ],
}

async function until<T>(what: string, fn: () => Promise<T | null>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== null) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('segment transitions across two collector processes', () => {
  it('fire exactly once each: stored events, webhooks and stream entries', async () => {
    const bridge = await startUpstashBridge({ redisPort: inject('redisPort') })
    pairs.cleanup(() => bridge.stop())
    const hooks: { type: string; contactId: string }[] = []
    const receiver: Server = createServer((req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        const p = JSON.parse(body)
        hooks.push({ type: p.type, contactId: p.contactId })
        res.writeHead(200).end('ok')
      })
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()))
    pairs.cleanup(() => new Promise((r) => receiver.close(() => r())))
    const env = {
      UPSTASH_REDIS_REST_URL: bridge.url,
      UPSTASH_REDIS_REST_TOKEN: bridge.token,
      LODESTONE_SWEEP_INTERVAL_MS: '200',
      LODESTONE_WEBHOOK_ALLOW_PRIVATE: '1',
    }
    const pair = await pairs.start(env)
    const { a, b, secretKey, writeKey, workspaceId: ws } = pair
    const call = async (c: ChildCollector, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${c.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      expect(res.status, path).toBeLessThan(300)
      return (await res.json()) as Record<string, unknown>
    }
    await call(a, 'PUT', '/v1/scoring/rules', RULES)
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    await call(a, 'POST', '/v1/webhooks', { url, events: ['segment.entered', 'segment.exited'] })
    const seg = await call(b, 'POST', '/v1/segments', {
      name: 'Hot',
      conditions: { score: { gte: 50 } },
    })
    await until('back-fill', async () =>
      (await call(a, 'GET', `/v1/segments/${seg.id}`)).status === 'ready' ? true : null,
    )

    // each person's demo request goes to both processes at once (same messageId)
    const now = () => new Date().toISOString()
    await Promise.all(
      Array.from({ length: PEOPLE }, (_, i) => {
        const event = {
          type: 'track',
          event: 'Demo Requested',
          anonymousId: `p${i}`,
          messageId: `d${i}`,
          timestamp: now(),
        }
        return [a, b].map((c) =>
          fetch(`${c.url}/v1/batch`, {
            method: 'POST',
            headers: {
              authorization: `Basic ${btoa(`${writeKey}:`)}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ batch: [event] }),
          }).then((r) => expect(r.status).toBe(200)),
        )
      }).flat(),
    )

    // decay alone takes everyone out again; wait for every exit webhook
    await until('exits', async () =>
      hooks.filter((h) => h.type === 'segment.exited').length >= PEOPLE ? true : null,
    ).catch(async (err) => {
      const state =
        await pair.sql`select due_at, score_key, score_total, grade, (select count(*) from segment_members m where m.contact_id = c.id and m.member) as m from contacts c where workspace_id = ${ws}`
      console.log(JSON.stringify({ hooks, state, out: a.output().slice(-1500) }))
      throw err
    })
    await new Promise((r) => setTimeout(r, 1500)) // time for any duplicate to show up

    const count = (type: string) => {
      const per = new Map<string, number>()
      for (const h of hooks)
        if (h.type === type) per.set(h.contactId, (per.get(h.contactId) ?? 0) + 1)
      return per
    }
    for (const type of ['segment.entered', 'segment.exited']) {
      const per = count(type)
      expect(per.size, type).toBe(PEOPLE)
      expect(
        [...per.values()].every((n) => n === 1),
        type,
      ).toBe(true)
    }
    const stored = await pair.sql`select contact_id, event, count(*)::int as n from events
      where workspace_id = ${ws} and event in ('Segment Entered', 'Segment Exited') group by 1, 2`
    expect(stored).toHaveLength(2 * PEOPLE)
    expect(stored.every((r) => r.n === 1)).toBe(true)

    // the live stream both processes write to (one Redis stream per workspace)
    const redis = new Redis({ port: inject('redisPort'), host: '127.0.0.1' })
    pairs.cleanup(async () => void redis.disconnect())
    const segmentEntries = async () =>
      (await redis.xrange(`live:${ws}`, '-', '+'))
        .map(([, fields]) => JSON.parse(fields[1]!).entry)
        .filter((e: { kind: string }) => e.kind === 'segment')
    // published after each commit: wait for them, then a little longer for any duplicate
    await until('stream entries', async () =>
      (await segmentEntries()).length >= 2 * PEOPLE ? true : null,
    )
    await new Promise((r) => setTimeout(r, 1000))
    const live = await segmentEntries()
    const keys = live.map((e: { contactId: string; event: string }) => `${e.contactId}|${e.event}`)
    expect(keys).toHaveLength(2 * PEOPLE)
    expect(new Set(keys).size).toBe(2 * PEOPLE)
    // both processes did part of the work
    expect(a.output()).not.toMatch(/time sweep failed/)
  }, 180_000)
})
