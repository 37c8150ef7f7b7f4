import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { Context } from 'hono'
import { MAX_REQUEST_BYTES } from '@lodestone/protocol'
import { CollectorError } from '../errors.js'

const tooLarge = () =>
  new CollectorError('payload_too_large', `Request body exceeds ${MAX_REQUEST_BYTES} bytes`)

/**
 * Reads a request body with a hard cap, stopping at the first byte past it, so a huge or endless
 * body costs at most the cap. Gzip bodies (Content-Encoding: gzip) are capped after inflating.
 */
export async function readBody(req: Request, limit = MAX_REQUEST_BYTES): Promise<string> {
  return decodeUtf8(await readBodyBytes(req, limit))
}

async function readBodyBytes(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN)
  if (declared > limit) throw tooLarge()
  if (!req.body) return new Uint8Array(0)
  let stream: ReadableStream<Uint8Array> = req.body
  const encoding = req.headers.get('content-encoding')?.toLowerCase()
  if (encoding === 'gzip' || encoding === 'deflate') {
    stream = stream.pipeThrough(
      new DecompressionStream(encoding) as unknown as ReadableWritablePair<Uint8Array, Uint8Array>,
    )
  } else if (encoding && encoding !== 'identity') {
    throw new CollectorError('unsupported_media_type', `Unsupported Content-Encoding: ${encoding}`)
  }
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > limit) {
        await reader.cancel().catch(() => {})
        throw tooLarge()
      }
      chunks.push(value)
    }
  } catch (err) {
    if (err instanceof CollectorError) throw err
    throw new CollectorError('bad_request', 'Could not read the request body', { cause: err })
  }
  const all = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    all.set(c, at)
    at += c.byteLength
  }
  return all
}

/** A request body as text, with its size in bytes (after inflating, if it was compressed). */
export interface BodyText {
  text: string
  bytes: number
}

/**
 * Reads the body of the request a route handles. Under Node (`@hono/node-server` puts the
 * `IncomingMessage` in `c.env.incoming`) an uncompressed body is read straight from the socket
 * stream: the profile of the ingest benchmark showed the WHATWG `Request`, its stream and its
 * abort signal, which the generic path makes for every request, at about 15 % of the
 * collector's CPU. Everywhere else (Workers, `app.request()` in tests, gzip) it is `readBody`.
 */
export async function readRequestBody(c: Context, limit = MAX_REQUEST_BYTES): Promise<string> {
  return (await readRequestBodyText(c, limit)).text
}

/** {@link readRequestBody} with the body's size in bytes. */
export function readRequestBodyText(c: Context, limit = MAX_REQUEST_BYTES): Promise<BodyText> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  const encoding = incoming?.headers['content-encoding']
  if (!incoming || (encoding && encoding.toLowerCase() !== 'identity') || incoming.readableDidRead)
    return readBodyBytes(c.req.raw, limit).then(sized)
  // Past the cap the rest of the body is never parsed: the answer closes the connection, and
  // what the client still sends meanwhile is dropped (lingerOnClose).
  const refuse = () => {
    c.header('Connection', 'close')
    lingerOnClose(incoming.socket)
    return tooLarge()
  }
  const declared = Number(incoming.headers['content-length'] ?? NaN)
  if (declared > limit) return Promise.reject(refuse())
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const settle = (fn: () => void) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose)
      fn()
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      // Stop at the first byte past the cap.
      incoming.pause()
      settle(() => reject(refuse()))
    }
    const onEnd = () =>
      settle(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)))
    const onError = (err: Error) =>
      settle(() =>
        reject(
          new CollectorError('bad_request', 'Could not read the request body', { cause: err }),
        ),
      )
    const onClose = () => onError(new Error('the client closed the connection mid-body'))
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose)
  }).then(sized)
}

const sized = (bytes: Uint8Array): BodyText => ({
  text: decodeUtf8(bytes),
  bytes: bytes.byteLength,
})

const LINGER_MS = 5_000

/**
 * A lingering close, as nginx does it: once the answer is sent, the connection is half-closed
 * and what the client still sends is read and dropped (the HTTP parser discards the rest of the
 * refused body) until the client closes its side or LINGER_MS have passed; then the socket
 * closes. Closing at once while the client's bytes still arrive makes the kernel reset the
 * connection, and the client sees EPIPE or ECONNRESET instead of the 413 it had not read yet.
 * Node's HTTP server (and @hono/node-server's drain) end a `Connection: close` response with
 * `socket.destroySoon()`; this socket's one lingers instead.
 */
function lingerOnClose(socket: Socket) {
  const s = socket as Socket & { destroySoon?: () => void }
  s.destroySoon = () => {
    s.end()
    const close = () => s.destroy()
    const timer = setTimeout(close, LINGER_MS)
    s.once('end', close)
    s.once('close', () => clearTimeout(timer))
    s.resume()
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes)
  } catch {
    throw new CollectorError('bad_request', 'Request body is not valid UTF-8')
  }
}

/** Parses JSON, answering 400 with the parser's reason on failure. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') throw new CollectorError('invalid_json', 'Request body is empty')
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new CollectorError('invalid_json', `Malformed JSON: ${(err as Error).message}`)
  }
}
