import { afterEach, describe, expect, it } from 'vitest'
import { connect, type Socket } from 'node:net'
import { startCollector } from './support/collector.js'

// One client address may hold only so many open connections (LODESTONE_MAX_CONNECTIONS_PER_IP);
// the next is closed before anything is read, and a slot frees when a connection closes.

let collector: Awaited<ReturnType<typeof startCollector>> | undefined
const sockets: Socket[] = []

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  await collector?.stop()
  collector = undefined
})

/** Opens a connection; resolves with it once connected. */
function open(url: string): Promise<Socket> {
  const { port } = new URL(url)
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), '127.0.0.1', () => resolve(s))
    s.on('error', reject)
    sockets.push(s)
  })
}

/** Sends GET /health on the socket: the status line, or null if the server closed it first. */
function health(s: Socket): Promise<string | null> {
  return new Promise((resolve) => {
    let text = ''
    const timer = setTimeout(() => resolve(text.split('\r\n')[0] || null), 3000)
    s.on('data', (d) => {
      text += d
      if (text.includes('\r\n')) {
        clearTimeout(timer)
        resolve(text.split('\r\n')[0]!)
      }
    })
    s.on('close', () => {
      clearTimeout(timer)
      resolve(text ? text.split('\r\n')[0]! : null)
    })
    s.on('error', () => {})
    s.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n')
  })
}

describe('connections per client address', () => {
  it('closes a connection over the cap and accepts one again when a slot frees', async () => {
    collector = await startCollector({ maxConnectionsPerIp: 3 })
    const held = [await open(collector.url), await open(collector.url), await open(collector.url)]
    const extra = await open(collector.url)
    expect(await health(extra)).toBeNull()
    // The held connections still work.
    expect(await health(held[0]!)).toMatch(/^HTTP\/1\.1 200/)
    held[1]!.destroy()
    await new Promise((r) => setTimeout(r, 100))
    expect(await health(await open(collector.url))).toMatch(/^HTTP\/1\.1 200/)
  })

  it('is off behind a trusted proxy, where every connection comes from the proxy', async () => {
    collector = await startCollector({
      maxConnectionsPerIp: 2,
      config: { trustedProxyHeader: 'x-forwarded-for' },
    })
    const all = await Promise.all([1, 2, 3, 4].map(() => open(collector!.url)))
    for (const s of all) expect(await health(s)).toMatch(/^HTTP\/1\.1 200/)
  })
})
