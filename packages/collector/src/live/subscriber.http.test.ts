import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { dashboardClient } from '../test-support/dashboard.js'
import type { LiveEntry } from './feed.js'
import type { LiveStreamLimits, SubscriberState } from './subscriber.js'

// The live streams served over HTTP on loopback (@hono/node-server, as `lodestone start`) to a
// raw socket client that sends its request, reads the first message, and stops reading.

let store: TestStore
const servers: ServerType[] = []
const sockets: Socket[] = []
beforeAll(async () => {
  store = await openTestStore('postgres')
})
afterAll(async () => {
  for (const s of sockets) s.destroy()
  for (const s of servers) await new Promise((resolve) => s.close(resolve))
  await store?.close()
})

const CONTACT = crypto.randomUUID()
/** An entry of about 23 KB of SSE text: a batch of 100 events with long names. */
const big = (i: number): LiveEntry => ({
  kind: 'events',
  events: Array.from({ length: 100 }, (_, k) => ({
    messageId: `m${i}-${k}`,
    contactId: CONTACT,
    type: 'track',
    name: `Large Event ${i}`.padEnd(120, '.'),
    timestamp: '2026-12-07T12:00:00.000Z',
  })),
})

/** An app with these stream limits, served on a free loopback port. */
async function served(limits: LiveStreamLimits) {
  const states: SubscriberState[] = []
  const logs: { message: string; detail?: Record<string, unknown> }[] = []
  const t = await createTestApp(
    store,
    undefined,
    {},
    {
      liveStream: { ...limits, observe: (s) => void states.push(s) },
      log: (message, detail) => void logs.push({ message, detail }),
    },
  )
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  servers.push(server)
  const connections = () =>
    new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n)))
  return {
    t,
    port: (server.address() as AddressInfo).port,
    state: () => states.at(-1),
    logs,
    connections,
  }
}

/** Polls until `ok()` or `ms` pass; answers whether it held. */
async function until(ok: () => boolean | Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms
  while (!(await ok()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  return ok()
}

/** A GET on a raw socket that keeps every byte it reads, and can stop reading. */
async function rawGet(port: number, path: string, headers: Record<string, string>) {
  const socket = connect(port, '127.0.0.1')
  sockets.push(socket)
  const chunks: Buffer[] = []
  let closed = false
  socket.on('data', (d: Buffer) => void chunks.push(d))
  socket.on('close', () => (closed = true))
  socket.on('error', () => {})
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`)
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${lines.join('')}\r\n`,
  )
  const raw = () => Buffer.concat(chunks)
  expect(await until(() => raw().includes('event: ready'))).toBe(true)
  expect(raw().toString('latin1')).toMatch(/^HTTP\/1\.1 200/)
  return { socket, raw, closed: () => closed }
}

/** The body of a chunked response as far as it came, and whether its last chunk came. */
function dechunk(raw: Buffer) {
  let at = raw.indexOf('\r\n\r\n') + 4
  const parts: Buffer[] = []
  for (;;) {
    const eol = raw.indexOf('\r\n', at)
    if (eol < 0) break
    const size = parseInt(raw.subarray(at, eol).toString('latin1'), 16)
    if (size === 0) return { text: Buffer.concat(parts).toString(), complete: true }
    parts.push(raw.subarray(eol + 2, Math.min(eol + 2 + size, raw.length)))
    at = eol + 2 + size + 2
  }
  return { text: Buffer.concat(parts).toString(), complete: false }
}

/**
 * Publishes big entries to the workspace until the subscriber is dropped (at most 3,000),
 * each once the server has taken the last into a write or 50 ms have passed (a reader's pace:
 * a burst can fill the queue while the dashboard labels a batch); answers how many it was offered.
 */
async function flood(
  s: Awaited<ReturnType<typeof served>>,
  limits: Required<Pick<LiveStreamLimits, 'maxEntries' | 'maxBytes'>>,
) {
  let sent = 0
  while (s.state()?.status === 'open' && sent < 3_000) {
    await s.t.live.publish(s.t.ws.id, [big(++sent)])
    expect(s.state()!.queued).toBeLessThanOrEqual(limits.maxEntries)
    expect(s.state()!.queuedBytes).toBeLessThanOrEqual(limits.maxBytes)
    await until(() => s.state()!.queued === 0, 50)
  }
  return sent
}

const messages = (text: string) => text.split('\n\n').filter(Boolean)
const overflowOf = (text: string) => {
  const m = messages(text).find((x) => x.startsWith('event: overflow\n'))
  return m && (JSON.parse(m.split('\n')[1]!.slice('data: '.length)) as { dropped: number })
}

describe('a live-stream subscriber that stops reading, over HTTP', () => {
  it('GET /v1/stream: dropped at the cap, the queue bounded; reading again, it gets every entry up to the overflow, then the end', async () => {
    const limits = { maxEntries: 20, maxBytes: 4 * 1024 * 1024 }
    const s = await served({ ...limits, dropGraceMs: 60_000 })
    const client = await rawGet(s.port, '/v1/stream', {
      authorization: `Bearer ${s.t.ws.secretKey}`,
    })
    client.socket.pause()
    const sent = await flood(s, limits)
    const state = s.state()!
    expect(state.status).toBe('overflow')
    expect(state.peakQueued).toBe(20) // the entry cap came first (20 × 23 KB < 4 MiB)
    expect(sent).toBeGreaterThan(20)
    expect(state.subscribed).toBe(false)
    expect(s.t.live.subscribers(s.t.ws.id)).toBe(0)

    // Reading again, the client gets the rest of the response and its end (the last chunk).
    client.socket.resume()
    expect(await until(() => dechunk(client.raw()).complete)).toBe(true)
    const body = dechunk(client.raw())
    const all = messages(body.text)
    const entries = all.filter((m) => m.startsWith('event: events\n'))
    // A prefix of what was published, in order, with the feed's running ids (this app's feed
    // has carried nothing else); the rest counted as dropped.
    const epoch = /^id: ([0-9a-f]{8})-1$/.exec(entries[0]!.split('\n')[2]!)![1]
    entries.forEach((m, i) => {
      expect(m.split('\n')[2]).toBe(`id: ${epoch}-${i + 1}`)
      expect(m).toContain(`"messageId":"m${i + 1}-0"`)
    })
    expect(overflowOf(body.text)).toEqual({
      dropped: state.dropped,
      limit: { entries: 20, bytes: 4 * 1024 * 1024 },
    })
    expect(entries.length + state.dropped).toBe(sent)
    expect(all.at(-1)).toMatch(/^event: overflow\n/)
    // One log line, without personal data: the route, the workspace and the count.
    expect(s.logs.filter((l) => l.message.startsWith('live stream:'))).toEqual([
      {
        message: 'live stream: a subscriber that stopped reading was dropped',
        detail: { route: '/v1/stream', workspace: s.t.ws.id, dropped: state.dropped },
      },
    ])
  })

  it('GET /v1/stream: a client that never reads again has its connection cut after the grace', async () => {
    const limits = { maxEntries: 20, maxBytes: 4 * 1024 * 1024 }
    const s = await served({ ...limits, dropGraceMs: 200 })
    const client = await rawGet(s.port, '/v1/stream', {
      authorization: `Bearer ${s.t.ws.secretKey}`,
    })
    client.socket.pause()
    await flood(s, limits)
    expect(s.state()!.status).toBe('overflow')
    expect(s.t.live.subscribers(s.t.ws.id)).toBe(0)
    // The server closes its side while the client still is not reading.
    expect(await until(async () => (await s.connections()) === 0)).toBe(true)
    client.socket.resume()
    expect(await until(client.closed)).toBe(true)
    expect(s.state()!.writing).toBe(0) // the write that waited for the client ended with the cut
  })

  it('the dashboard Live stream: dropped at the byte cap, then the end', async () => {
    const limits = { maxEntries: 10_000, maxBytes: 256 * 1024 }
    const s = await served({ ...limits, dropGraceMs: 60_000 })
    const c = dashboardClient(s.t.app)
    await c.signIn(s.t.ws.secretKey)
    const client = await rawGet(s.port, '/app/live/stream', {
      cookie: `lodestone_session=${c.jar.get('lodestone_session')}`,
    })
    client.socket.pause()
    const sent = await flood(s, limits)
    const state = s.state()!
    expect(state.status).toBe('overflow')
    expect(state.peakQueued).toBeLessThan(12) // 256 KiB of 23 KB entries: the byte cap came first
    expect(state.peakQueuedBytes).toBeGreaterThan(200 * 1024)
    expect(s.t.live.subscribers(s.t.ws.id)).toBe(0)

    // Reading again, the client gets the rest of the response and its end (the last chunk).
    client.socket.resume()
    expect(await until(() => dechunk(client.raw()).complete)).toBe(true)
    const body = dechunk(client.raw())
    const entries = messages(body.text).filter((m) => m.startsWith('event: events\n'))
    expect(entries.length).toBeGreaterThan(0)
    expect(entries[0]).toContain('"label":null') // labelled as the dashboard's entries are
    expect(overflowOf(body.text)).toEqual({
      dropped: state.dropped,
      limit: { entries: 10_000, bytes: 256 * 1024 },
    })
    expect(entries.length + state.dropped).toBe(sent)
  })

  it('a workspace holds at most maxSubscribers streams on a process: one more gets a 429 with a JSON body, until one closes', async () => {
    const s = await served({ maxSubscribers: 2 })
    const auth = { authorization: `Bearer ${s.t.ws.secretKey}` }
    const first = await rawGet(s.port, '/v1/stream', auth)
    const c = dashboardClient(s.t.app)
    await c.signIn(s.t.ws.secretKey)
    const cookie = { cookie: `lodestone_session=${c.jar.get('lodestone_session')}` }
    await rawGet(s.port, '/app/live/stream', cookie) // the Live page's stream counts too
    expect(s.t.live.subscribers(s.t.ws.id)).toBe(2)
    const refused = await fetch(`http://127.0.0.1:${s.port}/v1/stream`, { headers: auth })
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('30')
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    const page = await fetch(`http://127.0.0.1:${s.port}/app/live/stream`, { headers: cookie })
    expect(page.status).toBe(429)
    await page.body?.cancel()
    expect(s.t.live.subscribers(s.t.ws.id)).toBe(2)
    // Another workspace is not held back by this one's streams.
    const other = await store.createWorkspace({ name: 'Other' })
    await rawGet(s.port, '/v1/stream', { authorization: `Bearer ${other.secretKey}` })
    first.socket.destroy()
    expect(await until(() => s.t.live.subscribers(s.t.ws.id) === 1)).toBe(true)
    const again = await rawGet(s.port, '/v1/stream', auth)
    expect(s.t.live.subscribers(s.t.ws.id)).toBe(2)
    again.socket.destroy()
  })
})
