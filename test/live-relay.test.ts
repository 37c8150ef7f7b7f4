import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollector, type RunningCollector } from '@lodestone/collector/node'
import { createMemoryHotState } from '../packages/collector/src/adapters/memory/hot-state.js'
import { freshDatabase } from './support/child-collector.js'

// The live stream across collectors goes through the hot state's feed only when other
// processes can read it (Redis, or a hot state the caller shares, as here: one in-process state
// shared by two collectors stands for Redis). A collector on its own in-process state delivers
// to its own subscribers directly (entry/node.ts).

let db: Awaited<ReturnType<typeof freshDatabase>>
const running: RunningCollector[] = []

beforeAll(async () => {
  db = await freshDatabase()
})
afterAll(async () => {
  for (const c of running) await c.close().catch(() => {})
  await db?.store.close()
})

async function start(opts: Parameters<typeof startCollector>[0] = {}) {
  const c = await startCollector({ port: 0, dataDir: null, databaseUrl: db.url, ...opts })
  running.push(c)
  return c
}

/** Opens `/v1/stream` and collects its text until `until` is in it (or 10 s pass). */
async function listen(url: string) {
  const ctrl = new AbortController()
  const res = await fetch(`${url}/v1/stream`, {
    headers: { authorization: `Bearer ${db.workspace.secretKey}` },
    signal: ctrl.signal,
  })
  expect(res.status).toBe(200)
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let text = ''
  const readUntil = async (until: (text: string) => boolean) => {
    const deadline = Date.now() + 10_000
    while (!until(text) && Date.now() < deadline) {
      const { value, done } = await reader.read()
      if (done) break
      text += value
    }
    return text
  }
  await readUntil((t) => t.includes('event: ready'))
  return { readUntil, close: () => ctrl.abort() }
}

async function post(url: string, messageId: string) {
  const res = await fetch(`${url}/v1/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${db.workspace.writeKey}`,
    },
    body: JSON.stringify({
      batch: [{ type: 'track', event: 'Relay Checked', anonymousId: `a-${messageId}`, messageId }],
    }),
  })
  expect(res.status).toBe(200)
}

const count = (text: string, s: string) => text.split(s).length - 1

describe('live stream relay', () => {
  it('a collector on its own hot state streams its entries to its subscribers once', async () => {
    const c = await start()
    const stream = await listen(c.url)
    await post(c.url, 'relay-own-1')
    await post(c.url, 'relay-own-2')
    const text = await stream.readUntil((t) => t.includes('relay-own-2'))
    // Wait past two polls of the feed (250 ms each): a relayed copy would arrive by then.
    await new Promise((r) => setTimeout(r, 700))
    await post(c.url, 'relay-own-3')
    const after = await stream.readUntil((t) => t.includes('relay-own-3'))
    stream.close()
    expect(count(text, '"relay-own-1"')).toBe(1)
    expect(count(after, '"relay-own-2"')).toBe(1)
    expect(count(after, '"relay-own-3"')).toBe(1)
  })

  it('collectors sharing a hot state stream each other\u2019s entries', async () => {
    const hot = createMemoryHotState()
    const a = await start({ hot })
    const b = await start({ hot })
    const onB = await listen(b.url)
    await new Promise((r) => setTimeout(r, 400)) // b's feed poll is primed
    await post(a.url, 'relay-shared-1')
    const text = await onB.readUntil((t) => t.includes('"relay-shared-1"'))
    onB.close()
    expect(count(text, '"relay-shared-1"')).toBe(1)
  })
})
