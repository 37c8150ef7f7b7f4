import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { SSEStreamingApi } from 'hono/streaming'
import type { LiveEntry } from '../live/feed.js'
import { sseMessage } from './scoring.js'
import { sseText } from '../live/sse.js'

const RULES = {
  halfLifeDays: 30,
  grades: [{ name: 'cold' }, { name: 'warm', min: 20 }, { name: 'hot', min: 40 }],
  rules: [
    {
      id: 'pricing',
      name: 'Viewed pricing',
      kind: 'engagement',
      points: 10,
      conditions: { type: 'page', url: '*/pricing*' },
      caps: { perDay: 1 },
    },
    {
      id: 'webinar',
      name: 'Registered for a webinar',
      kind: 'engagement',
      points: 15,
      conditions: { type: 'track', event: 'Form Submitted', url: '*/webinar*' },
    },
    {
      id: 'decision-maker',
      name: 'Decision maker',
      kind: 'fit',
      points: 20,
      conditions: { traits: { title: { containsWord: ['CEO', 'VP'] } } },
    },
  ],
}

let n = 0
const id = () => `sc-${++n}-${Math.random().toString(36).slice(2)}`
const pricing = (ids: object) => ({
  type: 'page',
  messageId: id(),
  context: { page: { url: 'https://acme.test/pricing' } },
  ...ids,
})
const webinar = (ids: object) => ({
  type: 'track',
  event: 'Form Submitted',
  messageId: id(),
  context: { page: { url: 'https://acme.test/webinar/may' } },
  ...ids,
})
const dm = (ids: object) => ({
  type: 'identify',
  messageId: id(),
  traits: { title: 'VP Marketing' },
  ...ids,
})

describe.each(BACKENDS)('real-time scoring on %s', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  const score = async (q: string) => (await (await t.get(`/v1/contacts/lookup?${q}`)).json()).score
  const send = async (...batch: object[]) =>
    expect((await t.post('/v1/batch', { batch })).status).toBe(200)

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store)
    const res = await t.put('/v1/scoring/rules', RULES)
    expect(res.status).toBe(200)
  })
  afterAll(() => store.close())

  it('a visitor path raises the score by exactly the rule points, with a breakdown', async () => {
    await send(pricing({ anonymousId: 'path' }))
    expect((await score('anonymousId=path')).total).toBe(10)
    await send(webinar({ anonymousId: 'path' }))
    expect((await score('anonymousId=path')).total).toBe(25)
    await send(dm({ anonymousId: 'path' }))
    const s = await score('anonymousId=path')
    expect(s).toMatchObject({ fit: 20, engagement: 25, total: 45, grade: 'hot' })
    const byRule = Object.fromEntries(
      s.breakdown.map((b: { rule: string; points: number }) => [b.rule, b.points]),
    )
    expect(byRule).toEqual({ pricing: 10, webinar: 15, 'decision-maker': 20 })
  })

  it('does not score a duplicate event twice, and honours caps', async () => {
    const e = webinar({ anonymousId: 'dup' })
    await send(e)
    await send(e)
    await send(e, pricing({ anonymousId: 'dup' }), pricing({ anonymousId: 'dup' }))
    expect((await score('anonymousId=dup')).total).toBe(25)
  })

  it('a merge of two scored contacts scores as if one had done everything', async () => {
    await send(pricing({ anonymousId: 'dev-a' }))
    await send(webinar({ anonymousId: 'dev-b' }))
    expect((await score('anonymousId=dev-a')).total).toBe(10)
    await send(
      dm({ anonymousId: 'dev-a', userId: 'merged-user' }),
      dm({ anonymousId: 'dev-b', userId: 'merged-user' }),
    )
    const s = await score('userId=merged-user')
    expect(s).toMatchObject({ engagement: 25, fit: 20, total: 45 })
    // the reference: one device doing everything
    await send(
      pricing({ anonymousId: 'solo' }),
      webinar({ anonymousId: 'solo' }),
      dm({ anonymousId: 'solo' }),
    )
    expect((await score('anonymousId=solo')).total).toBe(s.total)
  })

  it('ranks contacts by score', async () => {
    const res = await (await t.get('/v1/contacts?sort=score&limit=3')).json()
    const totals = res.contacts.map((c: { score: { total: number } }) => c.score.total)
    expect(totals).toEqual([...totals].sort((a, b) => b - a))
    expect(totals[0]).toBe(45)
    const next = await (await t.get(`/v1/contacts?sort=score&limit=3&cursor=${res.next}`)).json()
    expect(next.contacts[0].score.total).toBeLessThanOrEqual(totals[2])
  })

  it('rescores every contact when the rules change', async () => {
    const doubled = { ...RULES, rules: RULES.rules.map((r) => ({ ...r, points: r.points * 2 })) }
    const res = await t.put('/v1/scoring/rules', doubled)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.version).toBe(2)
    expect(body.rescored).toBeGreaterThan(0)
    expect((await score('anonymousId=path')).total).toBe(90)
    const list = await (await t.get('/v1/contacts?sort=score&limit=1')).json()
    expect(list.contacts[0].score.total).toBe(90) // stored scores were rewritten, not only reads
    expect((await (await t.get('/v1/scoring/rules')).json()).version).toBe(2)
    await t.put('/v1/scoring/rules', RULES)
  })

  it('rejects invalid rules with 400 and the issues', async () => {
    const res = await t.put('/v1/scoring/rules', {
      rules: [{ id: 'x', kind: 'sideways', points: 'many' }],
    })
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error.code).toBe('invalid_rules')
    expect(body.error.issues.length).toBeGreaterThan(0)
  })

  it('streams grade changes over SSE as soon as the batch is acknowledged', async () => {
    const ctrl = new AbortController()
    const res = await t.app.request('/v1/stream', {
      headers: { authorization: `Bearer ${t.ws.secretKey}` },
      signal: ctrl.signal,
    })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    while (!text.includes('event: ready')) text += decoder.decode((await reader.read()).value)
    await send(pricing({ anonymousId: 'live' }), webinar({ anonymousId: 'live' }))
    while (!text.includes('Contact Grade Changed'))
      text += decoder.decode((await reader.read()).value)
    ctrl.abort()
    const line = text
      .split('\n')
      .find((l) => l.startsWith('data:') && l.includes('Contact Grade Changed'))!
    expect(JSON.parse(line.slice(5))).toMatchObject({
      grade: 'warm',
      previousGrade: 'cold',
      total: 25,
    })
  })

  it('sends the entries that queued meanwhile in order, with consecutive ids, one message each', async () => {
    const ctrl = new AbortController()
    const res = await t.app.request('/v1/stream', {
      headers: { authorization: `Bearer ${t.ws.secretKey}` },
      signal: ctrl.signal,
    })
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    while (!text.includes('event: ready')) text += decoder.decode((await reader.read()).value)
    // One request publishes several entries at once (events, score, grade): they queue together.
    await send(pricing({ anonymousId: 'burst' }), webinar({ anonymousId: 'burst' }))
    while (!text.includes('Contact Grade Changed\n'))
      text += decoder.decode((await reader.read()).value)
    ctrl.abort()
    const messages = text.split('\n\n').filter((m) => m && !m.includes('event: ready'))
    expect(messages.map((m) => m.split('\n')[0])).toEqual([
      'event: events',
      'event: score',
      'event: Contact Grade Changed',
    ])
    // The feed's ids (`<process epoch>-<seq>`, live/feed.ts): one epoch, consecutive sequence.
    const first = /^id: ([0-9a-f]{8})-(\d+)$/.exec(messages[0]!.split('\n')[2]!)!
    messages.forEach((m, i) => {
      const [, data, idLine, ...rest] = m.split('\n')
      expect(rest).toEqual([])
      expect(idLine).toBe(`id: ${first[1]}-${Number(first[2]) + i}`)
      expect(() => JSON.parse(data!.slice('data: '.length))).not.toThrow()
    })
  })
})

describe('sseMessage', () => {
  const at = '2026-12-07T12:00:00.000Z'
  const entries: LiveEntry[] = [
    {
      kind: 'events',
      events: [
        {
          messageId: 'm\n1',
          contactId: 'c1',
          type: 'track',
          name: 'Line\r\nbreak \u2028 é',
          timestamp: at,
        },
      ],
    },
    {
      kind: 'grade',
      event: 'Contact Grade Changed',
      contactId: 'c1',
      grade: 'hot',
      previousGrade: null,
      total: 3,
      at,
    },
  ]
  const viaHono = async (message: { event: string; data: string; id?: string }) => {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>()
    const api = new SSEStreamingApi(writable, readable)
    const read = new Response(api.responseReadable).text()
    await api.writeSSE(message)
    await api.close()
    return read
  }
  it("writes exactly the bytes of hono's writeSSE for the same entry, with or without an id", async () => {
    for (const [i, entry] of entries.entries()) {
      const event = entry.kind === 'grade' ? entry.event : entry.kind
      const data = JSON.stringify(entry)
      expect(sseMessage(`0a1b2c3d-${i + 7}`, entry)).toBe(
        await viaHono({ id: `0a1b2c3d-${i + 7}`, event, data }),
      )
      // Messages without an id (ready on a resume, ping, overflow).
      expect(sseText(event, entry)).toBe(await viaHono({ event, data }))
    }
  })
})
