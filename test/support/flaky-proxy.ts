import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** How a failed request fails: a 503, a connection dropped before or after the collector saw it. */
export type FailureMode = 'reject-503' | 'drop-before' | 'drop-after'

/**
 * A loopback reverse proxy in front of the collector that, while `failing`, fails half the
 * requests at random. `drop-after` forwards the request and then cuts the connection, so the
 * collector has stored the batch but the browser never hears the 200: only messageId dedupe
 * keeps the retry from being a duplicate. `/sdk.js` always passes, so pages load.
 */
export async function startFlakyProxy(target: string, failRate = 0.5) {
  let failing = false
  const failures: Record<FailureMode, number> = {
    'reject-503': 0,
    'drop-before': 0,
    'drop-after': 0,
  }
  let forwarded = 0
  const messageIds = new Set<string>()
  const acknowledged = new Set<string>()
  const modes: FailureMode[] = ['reject-503', 'drop-before', 'drop-after']

  function forward(req: IncomingMessage, body: Buffer, res: ServerResponse, drop: boolean) {
    forwarded++
    const up = request(
      `${target}${req.url}`,
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (upRes) => {
        const chunks: Buffer[] = []
        upRes.on('data', (c) => chunks.push(c))
        upRes.on('end', () => {
          if (drop) return void req.socket.destroy()
          if (upRes.statusCode === 200) for (const id of batchIds(body)) acknowledged.add(id)
          res.writeHead(upRes.statusCode ?? 502, upRes.headers)
          res.end(Buffer.concat(chunks))
        })
      },
    )
    up.on('error', () => req.socket.destroy())
    up.end(body)
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      for (const id of batchIds(body)) messageIds.add(id)
      const sdk = req.url?.startsWith('/sdk')
      if (!failing || sdk || Math.random() >= failRate) return forward(req, body, res, false)
      const mode = modes[Math.floor(Math.random() * modes.length)]!
      failures[mode]++
      if (mode === 'drop-before') return void req.socket.destroy()
      if (mode === 'drop-after') return forward(req, body, res, true)
      res.writeHead(503, {
        'content-type': 'application/json',
        'retry-after': '1',
        'access-control-allow-origin': '*',
      })
      res.end('{"success":false,"error":{"code":"store_unavailable","message":"proxy fault"}}')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    setFailing: (on: boolean) => void (failing = on),
    failures,
    get forwarded() {
      return forwarded
    },
    /** Every messageId the browser posted, across attempts. */
    messageIds,
    /** The messageIds of batches whose 200 reached the browser. */
    acknowledged,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

function batchIds(body: Buffer): string[] {
  try {
    const parsed = JSON.parse(body.toString())
    return (parsed.batch ?? []).map((e: { messageId: string }) => e.messageId)
  } catch {
    return [] // not a batch
  }
}
