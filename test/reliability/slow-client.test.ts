import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Socket } from 'node:net'
import { freshDatabase, spawnCollector, type ChildCollector } from '../support/child-collector.js'

// Slowloris: clients that trickle headers or a body must be cut off by the server's timeouts
// (set short here through the same env variables operators use), while others are served.
const HEADERS_TIMEOUT_MS = 600
const REQUEST_TIMEOUT_MS = 1000
const KEEP_ALIVE_TIMEOUT_MS = 500

let child: ChildCollector
let db: Awaited<ReturnType<typeof freshDatabase>>

beforeAll(async () => {
  db = await freshDatabase()
  child = await spawnCollector(db.url, {
    LODESTONE_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    LODESTONE_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    LODESTONE_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
  })
})
afterAll(async () => {
  child?.kill('SIGKILL')
  await child?.exited
  await db?.store.close()
})

interface Trickle {
  /** Bytes the client managed to send before the server closed the connection. */
  sent: number
  total: number
  /** What the server answered before closing, if anything. */
  response: string
  /** True when the server closed the connection; false when the client gave up at `maxMs`. */
  closedByServer: boolean
}

/**
 * Sends `head` at once, then `slow` one byte every `everyMs`, until the server closes the
 * connection or everything is sent. Gives up (resolves) after `maxMs` so the test is bounded.
 */
function trickle(head: string, slow: string, everyMs: number, maxMs: number): Promise<Trickle> {
  const { port } = new URL(child.url)
  return new Promise((resolve) => {
    const socket: Socket = connect(Number(port), '127.0.0.1')
    let sent = 0
    let response = ''
    let timer: ReturnType<typeof setInterval> | undefined
    const finish = (closedByServer: boolean) => {
      clearInterval(timer)
      clearTimeout(giveUp)
      socket.destroy()
      resolve({ sent, total: slow.length, response, closedByServer })
    }
    const giveUp = setTimeout(() => finish(false), maxMs)
    socket.on('data', (d) => (response += d))
    socket.on('close', () => finish(true))
    socket.on('error', () => finish(true))
    socket.on('connect', () => {
      socket.write(head)
      timer = setInterval(() => {
        if (sent >= slow.length || socket.destroyed) return
        socket.write(slow[sent]!)
        sent++
      }, everyMs)
    })
  })
}

describe('slow clients', () => {
  it('cuts a client trickling headers or a body, while a normal request is served', async () => {
    const host = `Host: 127.0.0.1\r\n`
    const auth = `Basic ${btoa(`${db.workspace.writeKey}:`)}`
    // ~40 header bytes per second: 200 bytes would take 5 s, far past the 0.6 s header limit.
    const slowHeaders = trickle(
      `POST /v1/batch HTTP/1.1\r\n${host}`,
      `X-Padding: ${'a'.repeat(180)}\r\n\r\n`,
      25,
      4000,
    )
    // Complete headers, then a 2,000-byte body at ~40 bytes per second (50 s to finish).
    const body = JSON.stringify({
      batch: [{ type: 'track', event: 'Slow', anonymousId: 'slow-1', messageId: 'slow-1' }],
      padding: 'p'.repeat(2000),
    })
    const slowBody = trickle(
      `POST /v1/batch HTTP/1.1\r\n${host}authorization: ${auth}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`,
      body,
      25,
      4000,
    )
    // Meanwhile, on other connections, ordinary requests are answered.
    await new Promise((r) => setTimeout(r, 300))
    const normal = await fetch(`${child.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        batch: [{ type: 'track', event: 'Normal', anonymousId: 'fast-1', messageId: 'fast-1' }],
      }),
    })
    expect(normal.status).toBe(200)

    const [h, b] = await Promise.all([slowHeaders, slowBody])
    console.log(
      `[slow-client] headers: cut after ${h.sent}/${h.total} bytes (${h.response.split('\r\n')[0] || 'closed'}); ` +
        `body: cut after ${b.sent}/${b.total} bytes (${b.response.split('\r\n')[0] || 'closed'})`,
    )
    // Both were disconnected by the server, before they could finish and before the 4 s bound.
    expect(h.closedByServer).toBe(true)
    expect(b.closedByServer).toBe(true)
    expect(h.sent).toBeLessThan(h.total)
    expect(b.sent).toBeLessThan(b.total)
    expect(h.response === '' || h.response.startsWith('HTTP/1.1 408')).toBe(true)
    expect(b.response === '' || b.response.startsWith('HTTP/1.1 408')).toBe(true)

    // Only the normal event was stored; the collector is still healthy.
    const rows = await db.store.sql`select message_id from events
      where workspace_id = ${db.workspace.id} order by seq`
    expect(rows.map((r) => r.message_id)).toEqual(['fast-1'])
    expect((await fetch(`${child.url}/health`)).status).toBe(200)
    expect(child.output()).not.toMatch(/unhandled|uncaught|internal_error/i)
  })

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    // One complete request, then silence: the server answers, then closes the idle socket.
    const idle = await trickle('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', '', 25, 4000)
    expect(idle.response.startsWith('HTTP/1.1 200')).toBe(true)
    expect(idle.response).toMatch(/keep-alive/i)
    expect(idle.closedByServer).toBe(true)
  })
})
