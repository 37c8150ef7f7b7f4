import { request } from 'node:http'
import { afterAll, describe, expect, it } from 'vitest'
import { freshDatabase, spawnCollector, type ChildCollector } from '../support/child-collector.js'
import { countStored, createLoad, report, scale, sleep } from '../support/load.js'
import { findPii } from '../support/pii.js'

// Faults 3 and 4: the collector process itself dies (SIGKILL) or is asked to stop (SIGTERM)
// while requests are in flight. Each runs `lodestone start` as a child process on the shared
// PostgreSQL server, in a database of its own.

const children: ChildCollector[] = []
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL')
  for (const f of cleanups) await f().catch(() => {})
})

describe('collector process faults', () => {
  it('SIGKILL mid-load: every acknowledged event is stored; after a restart, all exactly once', async () => {
    const db = await freshDatabase()
    cleanups.push(() => db.store.close())
    let current = await spawnCollector(db.url)
    children.push(current)
    const events = scale(2_000, 20_000)
    const load = createLoad({
      url: () => current.url,
      writeKey: db.workspace.writeKey,
      events,
      batchSize: 20,
      concurrency: 8,
      retry: true,
      tag: 'sigkill',
      paceMs: 5,
      deadlineMs: 90_000,
    })
    const running = load.run()
    await load.acknowledgedAtLeast(Math.floor(events * 0.3))
    current.kill('SIGKILL')
    const ackedAtKill = new Set(load.result.acknowledged)
    expect((await current.exited).signal).toBe('SIGKILL')
    const atKill = await countStored(db.store.sql, db.workspace.id, {
      ...load.result,
      acknowledged: ackedAtKill,
    })
    report('sigkill (at the kill)', atKill)
    expect(atKill.lost).toBe(0) // 200 meant committed
    const firstOutput = current.output()

    current = await spawnCollector(db.url)
    children.push(current)
    const result = await running
    const final = await countStored(db.store.sql, db.workspace.id, result)
    report('sigkill (after restart)', final, {
      answers: Object.fromEntries(result.answers),
      attempts: result.attempts,
    })
    expect(result.contractBreaks).toEqual([])
    expect(final.acknowledged).toBe(events)
    expect(final.stored).toBe(events)
    expect(final.duplicates).toBe(0)
    expect(final.lost).toBe(0)
    const secrets = [db.workspace.writeKey, db.workspace.secretKey]
    expect(findPii(firstOutput + current.output(), secrets)).toEqual([])
    current.kill('SIGTERM')
    await current.exited
  })

  it('SIGTERM drains in-flight requests, refuses new ones, and exits 0', async () => {
    const db = await freshDatabase()
    cleanups.push(() => db.store.close())
    const child = await spawnCollector(db.url)
    children.push(child)
    const inflight = scale(20, 100)
    const perRequest = 50
    const auth = `Basic ${btoa(`${db.workspace.writeKey}:`)}`
    const sent: string[] = []
    // Each request sends its headers with `Expect: 100-continue` and waits for the server's
    // `100 Continue` (proof the server is handling it), then half its body; the rest follows
    // after the signal.
    const requests = Array.from({ length: inflight }, (_, r) => {
      const batch = Array.from({ length: perRequest }, (_, i) => {
        const messageId = `sigterm-${r}-${i}`
        sent.push(messageId)
        return { type: 'track', event: 'Drained', anonymousId: `sigterm-${r}`, messageId }
      })
      const body = Buffer.from(JSON.stringify({ batch }))
      const half = Math.floor(body.length / 2)
      let finish!: () => void
      let started!: () => void
      const handling = new Promise<void>((resolve) => (started = resolve))
      const answer = new Promise<{ status: number; text: string }>((resolve) => {
        const req = request(
          `${child.url}/v1/batch`,
          {
            method: 'POST',
            agent: false,
            headers: {
              authorization: auth,
              'content-type': 'application/json',
              'content-length': body.length,
              expect: '100-continue',
            },
          },
          (res) => {
            let text = ''
            res.on('data', (d) => (text += d))
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
          },
        )
        req.on('error', (err) => resolve({ status: -1, text: String(err) }))
        req.on('continue', () => {
          req.write(body.subarray(0, half))
          started()
        })
        req.flushHeaders()
        finish = () => req.end(body.subarray(half))
      })
      return { answer, handling, finish: () => finish() }
    })
    await Promise.all(requests.map((r) => r.handling))
    await sleep(100)
    child.kill('SIGTERM')
    await sleep(300)
    // The listener is closed: a new connection is refused while old requests still run.
    const late = await fetch(`${child.url}/health`).then(
      (r) => `status ${r.status}`,
      () => 'refused',
    )
    for (const r of requests) r.finish()
    const answers = await Promise.all(requests.map((r) => r.answer))
    const exit = await child.exited
    const acknowledged = new Set<string>()
    answers.forEach((a, r) => {
      if (a.status === 200)
        for (let i = 0; i < perRequest; i++) acknowledged.add(`sigterm-${r}-${i}`)
    })
    const counts = await countStored(db.store.sql, db.workspace.id, {
      sent,
      acknowledged,
      answers: new Map(),
      attempts: inflight,
      contractBreaks: [],
      slowestMs: 0,
    })
    report('sigterm drain', counts, { inflightRequests: inflight, exitCode: exit.code })
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200))
    expect(late).toBe('refused')
    expect(exit.code).toBe(0)
    expect(counts.stored).toBe(sent.length)
    expect(counts.lost).toBe(0)
    expect(child.output()).toContain('SIGTERM: draining')
    expect(findPii(child.output(), [db.workspace.writeKey, db.workspace.secretKey])).toEqual([])
  })
})
