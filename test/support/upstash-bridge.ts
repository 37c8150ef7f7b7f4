import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net'
import { Redis, ReplyError } from 'ioredis'

// A test double for Upstash's REST front door, in front of a real redis-server, so the
// @upstash/redis adapter is tested against real Redis semantics. Shapes follow the Upstash REST
// docs: POST `/` with `["CMD", ...args]` → `{"result": …}` or `{"error": "…"}` (400);
// `/pipeline` and `/multi-exec` take an array of commands and answer an array of those objects;
// a missing or wrong Bearer token → 401. With `Upstash-Encoding: base64` (the @upstash/redis
// default) every string in a result is base64 (UTF-8 bytes), except a top-level "OK".

/** How the bridge misbehaves while paused: 503 answers, requests that never finish, or resets. */
export type OutageMode = 'error' | 'hang' | 'reset'

export interface UpstashBridge {
  url: string
  token: string
  /** Simulates Upstash/Redis going down until `resume()`. */
  pause(mode?: OutageMode): void
  resume(): void
  /** Commands forwarded to Redis so far (a pipeline counts each of its commands). */
  readonly commands: number
  stop(): Promise<void>
}

type Reply = Buffer | string | number | null | Reply[]
type Command = (string | number)[]

const MAX_BODY = 10 * 1024 * 1024

/**
 * @example
 * const bridge = await startUpstashBridge({ redisPort: inject('redisPort') })
 * const redis = new Redis({ url: bridge.url, token: bridge.token })
 * await redis.set('k', 'v')
 * await bridge.stop()
 */
export async function startUpstashBridge(options: {
  redisPort: number
  token?: string
}): Promise<UpstashBridge> {
  const token = options.token ?? `test_${randomBytes(12).toString('hex')}`
  const redis = new Redis({ port: options.redisPort, host: '127.0.0.1', lazyConnect: true })
  await redis.connect()
  let outage: OutageMode | null = null
  let commands = 0
  const sockets = new Set<Socket>()

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (outage === 'reset') return void req.socket.destroy()
    if (outage === 'hang') return // never answered; stop() or the client's timeout ends it
    const url = new URL(req.url ?? '/', 'http://bridge')
    const given = req.headers.authorization ?? `Bearer ${url.searchParams.get('_token') ?? ''}`
    if (given !== `Bearer ${token}`) return send(res, 401, { error: 'Unauthorized' })
    if (req.method !== 'POST') return send(res, 405, { error: 'Only POST is supported' })
    if (outage === 'error') return send(res, 503, { error: 'Service Unavailable (bridge paused)' })
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64'
    const encode = (r: Reply) => encodeReply(r, base64)
    let body: unknown
    try {
      body = JSON.parse(await readBody(req))
    } catch (err) {
      return send(res, 400, { error: `ERR failed to parse request body: ${message(err)}` })
    }
    if (url.pathname === '/') {
      if (!isCommand(body)) return send(res, 400, { error: 'ERR expected a JSON command array' })
      commands++
      try {
        return send(res, 200, { result: encode((await run(redis, body)) as Reply) })
      } catch (err) {
        return send(res, err instanceof ReplyError ? 400 : 500, { error: message(err) })
      }
    }
    if (url.pathname !== '/pipeline' && url.pathname !== '/multi-exec') {
      return send(res, 404, { error: `Not found: ${url.pathname}` })
    }
    if (!Array.isArray(body) || body.length === 0 || !body.every(isCommand)) {
      return send(res, 400, { error: 'ERR expected a non-empty array of command arrays' })
    }
    commands += body.length
    const batch = url.pathname === '/multi-exec' ? redis.multi() : redis.pipeline()
    for (const cmd of body) batch.callBuffer(String(cmd[0]), ...cmd.slice(1))
    try {
      const results = (await batch.exec()) ?? []
      const out = results.map(([err, r]) =>
        err ? { error: err.message } : { result: encode(r as Reply) },
      )
      return send(res, 200, out)
    } catch (err) {
      // A transaction that Redis refused as a whole (EXECABORT) fails as one error.
      return send(res, err instanceof ReplyError ? 400 : 500, { error: message(err) })
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => send(res, 500, { error: message(err) }))
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    pause(mode = 'error') {
      outage = mode
    },
    resume() {
      outage = null
    },
    get commands() {
      return commands
    },
    async stop() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      redis.disconnect()
    },
  }
}

/** A loopback URL where nothing listens: connections are refused, as when Upstash is gone. */
export async function unreachableUrl(): Promise<string> {
  const server = createTcpServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}`
}

function run(redis: Redis, [name, ...args]: Command): Promise<unknown> {
  return redis.callBuffer(String(name), ...args)
}

function isCommand(x: unknown): x is Command {
  return (
    Array.isArray(x) &&
    x.length > 0 &&
    typeof x[0] === 'string' &&
    x.every((a) => typeof a === 'string' || typeof a === 'number')
  )
}

// @upstash/redis decodes a top-level "OK" as is but base64-decodes every string inside arrays,
// so only a top-level OK may stay plain (a bulk "OK" reads the same either way).
function encodeReply(r: Reply, base64: boolean, top = true): unknown {
  if (Array.isArray(r)) return r.map((x) => encodeReply(x, base64, false))
  if (typeof r === 'number' || r === null) return r
  const buf = typeof r === 'string' ? Buffer.from(r) : r
  if (!base64) return buf.toString('utf8')
  return top && buf.equals(OK) ? 'OK' : buf.toString('base64')
}
const OK = Buffer.from('OK')

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY) throw new Error('request body too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function send(res: ServerResponse, status: number, body: unknown) {
  if (res.headersSent || res.destroyed) return
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))
