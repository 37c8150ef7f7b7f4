import { MAX_REQUEST_BYTES } from '@lodestone/protocol'
import { CollectorError } from '../errors.js'

const tooLarge = () =>
  new CollectorError('payload_too_large', `Request body exceeds ${MAX_REQUEST_BYTES} bytes`)

/**
 * Reads a request body with a hard cap, stopping at the first byte past it, so a huge or endless
 * body costs at most the cap. Gzip bodies (Content-Encoding: gzip) are capped after inflating.
 */
export async function readBody(req: Request, limit = MAX_REQUEST_BYTES): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? NaN)
  if (declared > limit) throw tooLarge()
  if (!req.body) return ''
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
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(all)
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
