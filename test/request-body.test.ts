import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { connect } from 'node:net'
import { gzipSync } from 'node:zlib'
import { MAX_REQUEST_BYTES } from '@lodestone/protocol'
import { startCollector } from './support/collector.js'

// Under Node the collector reads request bodies straight from the socket stream (not through a
// WHATWG Request). These requests go over a real socket, so that path is the one exercised:
// chunked bodies without a length, the size cap, bad bytes, clients that vanish mid-body.

let collector: Awaited<ReturnType<typeof startCollector>>

beforeAll(async () => {
  collector = await startCollector()
})
afterAll(async () => {
  await collector?.stop()
})

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Record<string, unknown>
}

/** POSTs `chunks` one write at a time (chunked encoding unless a content-length is given). */
function post(
  chunks: (string | Buffer)[],
  headers: Record<string, string> = {},
  path = '/v1/batch',
): Promise<Answer> {
  const { port } = new URL(collector.url)
  const auth = `Basic ${Buffer.from(`${collector.writeKey}:`).toString('base64')}`
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        // A new connection per request: a refused body may leave its connection closed.
        agent: false,
        headers: { 'content-type': 'application/json', authorization: auth, ...headers },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (text += d))
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) }),
        )
      },
    )
    req.on('error', reject)
    for (const c of chunks) req.write(c)
    req.end()
  })
}

const track = (id: string) => ({
  type: 'track',
  event: 'Body Test',
  messageId: id,
  anonymousId: 'body-anon',
  timestamp: new Date().toISOString(),
})

describe('request bodies read from the socket', () => {
  it('stores a batch sent in many small chunks without a content-length', async () => {
    const text = JSON.stringify({ batch: [track('chunk-1'), track('chunk-2'), track('chunk-3')] })
    const pieces = text.match(/.{1,17}/gs)!
    const answer = await post(pieces)
    expect(answer.status).toBe(200)
    const ids = (await collector.events()).map((e) => e.messageId)
    expect(ids).toEqual(expect.arrayContaining(['chunk-1', 'chunk-2', 'chunk-3']))
  })

  it('keeps a multi-byte character split across chunks intact', async () => {
    const body = Buffer.from(
      JSON.stringify({ batch: [{ ...track('utf8-split'), properties: { city: 'Zürich 東京' } }] }),
    )
    const at = body.indexOf(Buffer.from('東')) + 1
    const answer = await post([body.subarray(0, at), body.subarray(at)])
    expect(answer.status).toBe(200)
    const stored = (await collector.events()).find((e) => e.messageId === 'utf8-split')
    expect((stored?.payload.properties as Record<string, string>).city).toBe('Zürich 東京')
  })

  it('answers 413 with a JSON error once a chunked body passes the cap, and keeps serving', async () => {
    const filler = Buffer.alloc(64 * 1024, 'a')
    const chunks = [Buffer.from('{"batch":[],"pad":"')]
    for (let sent = 0; sent <= MAX_REQUEST_BYTES; sent += filler.length) chunks.push(filler)
    const answer = await post(chunks)
    expect(answer.status).toBe(413)
    expect(answer.body).toMatchObject({ success: false, error: { code: 'payload_too_large' } })
    // The unread rest of the body must not be parsed as the next request on this connection.
    expect(answer.headers.connection).toBe('close')
    expect((await post([JSON.stringify({ batch: [track('after-413')] })])).status).toBe(200)
  })

  it('lets a client that keeps sending a 3 MB chunked body read its 413', async () => {
    // A raw socket, as a simple client is: it sends the whole body before it reads the answer.
    // Closing the connection under it would reset it and throw the unread 413 away (EPIPE or
    // ECONNRESET, no answer); the collector stops reading, answers, and discards the rest for
    // a while before it closes (a lingering close).
    const { port } = new URL(collector.url)
    // allowHalfOpen: it goes on sending after the server's FIN, as a client that is busy
    // writing does.
    const socket = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true })
    let received = ''
    let failure: string | null = null
    socket.setEncoding('utf8')
    socket.on('data', (d: string) => (received += d))
    socket.on('error', (e: NodeJS.ErrnoException) => (failure = e.code ?? e.message))
    const closed = new Promise((r) => socket.once('close', r))
    await new Promise((r) => socket.once('connect', r))
    const auth = Buffer.from(`${collector.writeKey}:`).toString('base64')
    socket.write(
      `POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic ${auth}\r\n` +
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    )
    const frame = (data: string) => `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`
    const filler = 'a'.repeat(64 * 1024)
    let sent = 0
    const write = (data: string) =>
      new Promise<void>((resolve) => {
        // A client on a real network: the body trickles in while the server answers.
        const next = () => setTimeout(resolve, 5)
        if (socket.write(data)) next()
        else socket.once('drain', next).once('close', next)
      })
    await write(frame('{"batch":[],"pad":"'))
    while (sent < 3 * 1024 * 1024 && !socket.destroyed) {
      await write(frame(filler))
      sent += filler.length
    }
    if (!socket.destroyed) socket.end(frame('"}') + '0\r\n\r\n')
    await closed
    expect({ failure, status: received.slice(0, 12) }).toEqual({
      failure: null,
      status: 'HTTP/1.1 413',
    })
    const body = JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))
    expect(body).toMatchObject({ success: false, error: { code: 'payload_too_large' } })
    expect(sent).toBeGreaterThanOrEqual(3 * 1024 * 1024)
  })

  it('refuses a declared content-length over the cap before reading', async () => {
    const answer = await post(['{}'], { 'content-length': String(MAX_REQUEST_BYTES + 1) }).catch(
      // The server may close the socket while the client still thinks it has a body to send.
      () => null,
    )
    if (answer) {
      expect(answer.status).toBe(413)
      expect(answer.body).toMatchObject({ error: { code: 'payload_too_large' } })
    }
    expect((await post([JSON.stringify({ batch: [track('after-declared')] })])).status).toBe(200)
  })

  it('answers 400 with a JSON error for bytes that are not UTF-8', async () => {
    const answer = await post([
      Buffer.from('{"batch":[{"type":"track","event":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}]}'),
    ])
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({ success: false, error: { code: 'bad_request' } })
  })

  it('survives a client that disconnects in the middle of its body', async () => {
    const { port } = new URL(collector.url)
    await new Promise<void>((resolve) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path: '/v1/batch',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '5000' },
      })
      req.on('error', () => resolve())
      req.write('{"batch":[{"type":"track",')
      setTimeout(() => {
        req.destroy()
        resolve()
      }, 50)
    })
    expect((await post([JSON.stringify({ batch: [track('after-abort')] })])).status).toBe(200)
  })

  it('still inflates gzip bodies (the stream path)', async () => {
    const answer = await post([gzipSync(JSON.stringify({ batch: [track('gzip-1')] }))], {
      'content-encoding': 'gzip',
    })
    expect(answer.status).toBe(200)
    expect((await collector.events()).some((e) => e.messageId === 'gzip-1')).toBe(true)
  })
})
