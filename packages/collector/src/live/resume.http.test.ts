import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { dashboardClient } from '../test-support/dashboard.js'
import { createLiveFeed, type LiveEntry } from './feed.js'
import type { ReplayLimits } from './ring.js'
import type { LiveStreamLimits } from './subscriber.js'

// Reconnecting to the live streams with Last-Event-ID, over HTTP on loopback (@hono/node-server,
// as `lodestone start`): the client reads, goes away, entries are published, it comes back.

let store: TestStore
const servers: ServerType[] = []
const open: AbortController[] = []
beforeAll(async () => {
  store = await openTestStore('postgres')
})
afterAll(async () => {
  for (const c of open) c.abort()
  for (const s of servers) await new Promise((resolve) => s.close(resolve))
  await store?.close()
})

/** An events entry naming its message id `m<i>`, about `pad` characters longer if asked. */
const entry = (i: number | string, pad = 0): LiveEntry => ({
  kind: 'events',
  events: [
    {
      messageId: `m${i}`,
      contactId: 'c-resume',
      type: 'track',
      name: 'x'.repeat(pad) || null,
      timestamp: '2026-12-07T12:00:00.000Z',
    },
  ],
})

/** An app whose feed keeps `replay`, served on a free loopback port. */
async function served(replay: ReplayLimits = {}, liveStream: LiveStreamLimits = {}) {
  const live = createLiveFeed(undefined, replay)
  const t = await createTestApp(store, undefined, {}, { live, liveStream })
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  servers.push(server)
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { t, live, base }
}

interface Message {
  event: string
  data: Record<string, unknown>
  id?: string
}

/** Parses SSE text (as live/sse.ts writes it: event, one data line, maybe an id). */
function parse(text: string): Message[] {
  return text
    .split('\n\n')
    .filter((m) => m.startsWith('event: '))
    .map((m) => {
      const lines = m.split('\n')
      const id = lines.find((l) => l.startsWith('id: '))?.slice(4)
      return {
        event: lines[0]!.slice('event: '.length),
        data: JSON.parse(lines[1]!.slice('data: '.length)) as Record<string, unknown>,
        ...(id === undefined ? {} : { id }),
      }
    })
}

/** A streaming GET that keeps what it reads; `until` waits for a message, `close` hangs up. */
async function client(url: string, headers: Record<string, string>) {
  const ctrl = new AbortController()
  open.push(ctrl)
  const res = await fetch(url, { headers, signal: ctrl.signal })
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        text += decoder.decode(value, { stream: true })
      }
    } catch {
      // aborted
    }
  })()
  const messages = () => parse(text)
  async function until(ok: (ms: Message[]) => boolean, ms = 10_000) {
    const deadline = Date.now() + ms
    while (!ok(messages()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    expect(ok(messages())).toBe(true)
    return messages()
  }
  await until((ms) => ms.some((m) => m.event === 'ready'))
  return { messages, until, close: () => ctrl.abort() }
}

const ids = (ms: Message[]) => ms.filter((m) => m.event === 'events').map((m) => m.id)
const names = (ms: Message[]) =>
  ms
    .filter((m) => m.event === 'events')
    .map((m) => (m.data.events as { messageId: string }[])[0]!.messageId)

async function gone(live: ReturnType<typeof createLiveFeed>, ws: string) {
  const deadline = Date.now() + 10_000
  while (live.subscribers(ws) > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10))
  expect(live.subscribers(ws)).toBe(0)
}

describe('resuming a live stream with Last-Event-ID, over HTTP', () => {
  it('GET /v1/stream: a client that reconnects gets exactly the entries it missed, in order, once, then live ones; never another workspace’s', async () => {
    const { t, live, base } = await served()
    const auth = { authorization: `Bearer ${t.ws.secretKey}` }
    const other = await store.createWorkspace({ name: 'Other' })
    const otherAuth = { authorization: `Bearer ${other.secretKey}` }
    // The other workspace is watched too, so its entries are buffered and numbered alongside.
    const watcher = await client(`${base}/v1/stream`, otherAuth)

    const first = await client(`${base}/v1/stream`, auth)
    const ready = first.messages()[0]!
    expect(ready.event).toBe('ready')
    expect(ready.id).toMatch(/^[0-9a-f]{8}-\d+$/) // a fresh start says where it starts
    await live.publish(t.ws.id, [entry(1), entry(2)])
    await live.publish(other.id, [entry('other-1')])
    await live.publish(t.ws.id, [entry(3)])
    const seen = await first.until((ms) => names(ms).length === 3)
    expect(names(seen)).toEqual(['m1', 'm2', 'm3'])
    const lastId = ids(seen).at(-1)!
    first.close()
    await gone(live, t.ws.id)

    // Published while nobody of this workspace listens, interleaved with the other's.
    await live.publish(t.ws.id, [entry(4)])
    await live.publish(other.id, [entry('other-2')])
    await live.publish(t.ws.id, [entry(5), entry(6)])

    const again = await client(`${base}/v1/stream`, { ...auth, 'last-event-id': lastId })
    const replayed = await again.until((ms) => names(ms).length === 3)
    expect(replayed[0]).toMatchObject({ event: 'ready' })
    expect(replayed[0]!.id).toBeUndefined() // on a resume, the replayed ids say how far it got
    expect(replayed.some((m) => m.event === 'reset')).toBe(false)
    await live.publish(t.ws.id, [entry(7)])
    const all = await again.until((ms) => names(ms).length === 4)
    expect(names(all)).toEqual(['m4', 'm5', 'm6', 'm7'])
    // Ids keep increasing across the two connections: one sequence per process.
    const seqs = [...ids(seen), ...ids(all)].map((id) => Number(id!.split('-')[1]))
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(new Set(seqs).size).toBe(7)
    expect(JSON.stringify(all)).not.toContain('other-')

    // The other workspace's id does not open this workspace's buffer to the other's key, and
    // resuming the other's stream from this workspace's id gives only the other's entries.
    const cross = await client(`${base}/v1/stream`, { ...otherAuth, 'last-event-id': lastId })
    await live.publish(other.id, [entry('other-3')])
    const crossed = await cross.until((ms) => names(ms).includes('mother-3'))
    expect(names(crossed)).toEqual(['mother-2', 'mother-3'])
    expect(names(watcher.messages())).toEqual(['mother-1', 'mother-2', 'mother-3'])
    for (const c of [again, cross, watcher]) c.close()
  })

  it('a client that saw no entry resumes from its ready id; the lastEventId query parameter works as the header', async () => {
    const { t, live, base } = await served()
    const auth = { authorization: `Bearer ${t.ws.secretKey}` }
    const first = await client(`${base}/v1/stream`, auth)
    const position = first.messages()[0]!.id!
    first.close()
    await gone(live, t.ws.id)
    await live.publish(t.ws.id, [entry(1), entry(2)])
    const again = await client(
      `${base}/v1/stream?lastEventId=${encodeURIComponent(position)}`,
      auth,
    )
    expect(names(await again.until((ms) => names(ms).length === 2))).toEqual(['m1', 'm2'])
    again.close()
  })

  it('an unknown, foreign or malformed id gets a reset with the reason, then the live entries', async () => {
    const { t, live, base } = await served()
    const auth = { authorization: `Bearer ${t.ws.secretKey}` }
    await (await client(`${base}/v1/stream`, auth)).close()
    for (const bad of ['00000000-1', 'not-an-id', '7', 'x'.repeat(500), 'ffffffff-99999999']) {
      const c = await client(`${base}/v1/stream`, { ...auth, 'last-event-id': bad })
      const [ready, reset] = await c.until((ms) => ms.length >= 2)
      expect(ready!.event).toBe('ready')
      expect(reset).toMatchObject({ event: 'reset', data: { reason: 'unknown' } })
      expect(reset!.id).toMatch(/^[0-9a-f]{8}-\d+$/) // where the client resumes from next time
      expect(JSON.stringify(reset)).not.toContain('xxxx') // what the client sent is not echoed
      await live.publish(t.ws.id, [entry(`after-${bad.length}`)])
      await c.until((ms) => names(ms).includes(`mafter-${bad.length}`))
      c.close()
    }
  })

  it('an id older than the buffer gets a reset (too_old); the buffer holds at most its entries and bytes', async () => {
    const { t, live, base } = await served({ maxEntries: 5, maxBytes: 64 * 1024 })
    const auth = { authorization: `Bearer ${t.ws.secretKey}` }
    const first = await client(`${base}/v1/stream`, auth)
    await live.publish(t.ws.id, [entry(1)])
    const lastId = ids(await first.until((ms) => names(ms).length === 1)).at(-1)!
    first.close()
    await gone(live, t.ws.id)
    for (let i = 2; i <= 20; i++) await live.publish(t.ws.id, [entry(i)])
    expect(live.buffered(t.ws.id).entries).toBe(5)
    const again = await client(`${base}/v1/stream`, { ...auth, 'last-event-id': lastId })
    const [, reset] = await again.until((ms) => ms.length >= 2)
    expect(reset).toMatchObject({ event: 'reset', data: { reason: 'too_old' } })
    expect(names(again.messages())).toEqual([]) // no partial replay: the client knows it missed
    again.close()

    // Big entries: the byte cap comes first.
    for (let i = 0; i < 40; i++) await live.publish(t.ws.id, [entry(`big${i}`, 10_000)])
    const held = live.buffered(t.ws.id)
    expect(held.bytes).toBeLessThanOrEqual(64 * 1024)
    expect(held.entries).toBe(5) // 5 × ~10 KB < 64 KiB
    for (let i = 0; i < 40; i++) await live.publish(t.ws.id, [entry(`bigger${i}`, 20_000)])
    expect(live.buffered(t.ws.id).bytes).toBeLessThanOrEqual(64 * 1024)
    expect(live.buffered(t.ws.id).entries).toBe(3) // 3 × ~20 KB fit, a fourth does not
  })

  it('a replay bigger than the stream may queue is a reset, not a drop on every reconnection', async () => {
    const { t, live, base } = await served({}, { maxEntries: 2 })
    const auth = { authorization: `Bearer ${t.ws.secretKey}` }
    const first = await client(`${base}/v1/stream`, auth)
    const position = first.messages()[0]!.id!
    first.close()
    await gone(live, t.ws.id)
    await live.publish(t.ws.id, [entry(1), entry(2), entry(3)])
    const again = await client(`${base}/v1/stream`, { ...auth, 'last-event-id': position })
    const [, reset] = await again.until((ms) => ms.length >= 2)
    expect(reset).toMatchObject({ event: 'reset', data: { reason: 'too_old' } })
    await live.publish(t.ws.id, [entry(4)])
    expect(names(await again.until((ms) => names(ms).length === 1))).toEqual(['m4'])
    expect(again.messages().some((m) => m.event === 'overflow')).toBe(false)
    again.close()
  })

  it('a workspace nobody has watched keeps nothing; a watched one keeps its buffer for idleMs after its last subscriber', async () => {
    const { t, live, base } = await served({ idleMs: 300 })
    await live.publish(t.ws.id, [entry(1)])
    expect(live.buffered(t.ws.id)).toEqual({ entries: 0, bytes: 0 })
    const c = await client(`${base}/v1/stream`, { authorization: `Bearer ${t.ws.secretKey}` })
    c.close()
    await gone(live, t.ws.id)
    await live.publish(t.ws.id, [entry(2)])
    expect(live.buffered(t.ws.id).entries).toBe(1)
    await new Promise((r) => setTimeout(r, 400))
    expect(live.buffered(t.ws.id)).toEqual({ entries: 0, bytes: 0 })
  })

  it('the dashboard Live stream resumes too (session cookie, Last-Event-ID)', async () => {
    const { t, live, base } = await served()
    const c = dashboardClient(t.app)
    await c.signIn(t.ws.secretKey)
    const cookie = { cookie: `lodestone_session=${c.jar.get('lodestone_session')}` }
    const first = await client(`${base}/app/live/stream`, cookie)
    await live.publish(t.ws.id, [entry(1)])
    const lastId = ids(await first.until((ms) => names(ms).length === 1)).at(-1)!
    expect(lastId).toMatch(/^[0-9a-f]{8}-\d+$/)
    first.close()
    await gone(live, t.ws.id)
    await live.publish(t.ws.id, [entry(2), entry(3)])
    const again = await client(`${base}/app/live/stream`, { ...cookie, 'last-event-id': lastId })
    const replayed = await again.until((ms) => names(ms).length === 2)
    expect(names(replayed)).toEqual(['m2', 'm3'])
    expect(replayed.find((m) => m.event === 'events')!.data.events).toMatchObject([
      { label: null }, // labelled as live entries are
    ])
    again.close()
  })
})
