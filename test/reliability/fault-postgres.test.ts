import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollector, type RunningCollector } from '@lodestone/collector/node'
import { startPostgres, type RestartablePostgres } from '../setup/servers.js'
import { countStored, createLoad, report, scale, sleep } from '../support/load.js'
import { findPii } from '../support/pii.js'

// Fault 1: PostgreSQL crashes (`pg_ctl stop -m immediate`) in the middle of a load and comes
// back. The server is this test's own, not the shared one, so nothing else sees the outage.

let pg: RestartablePostgres
let collector: RunningCollector
const logs: string[] = []

beforeAll(async () => {
  pg = await startPostgres()
  collector = await startCollector({
    port: 0,
    databaseUrl: pg.url,
    rateLimit: 1_000_000,
    log: (message, detail) => logs.push(`${message} ${JSON.stringify(detail ?? {})}`),
  })
})
afterAll(async () => {
  await collector?.close().catch(() => {})
  await pg?.stop()
})

describe('PostgreSQL stopped mid-load', () => {
  it('answers 503 while it is down, never 200; after restart every event is stored exactly once', async () => {
    const ws = await collector.store.createWorkspace({ name: 'Fault PG' })
    const events = scale(2_000, 20_000)
    const load = createLoad({
      url: collector.url,
      writeKey: ws.writeKey,
      events,
      batchSize: 20,
      concurrency: 6,
      retry: true,
      tag: 'pgfault',
      paceMs: 5,
      deadlineMs: 90_000,
    })
    const running = load.run()
    await load.acknowledgedAtLeast(Math.floor(events * 0.3))
    const ackedBefore = load.result.acknowledged.size
    pg.halt()
    // The read API and health answer 503 too, with Retry-After; and the log must not carry the
    // email in this path.
    const lookup = await fetch(`${collector.url}/v1/contacts/email:ada.lovelace@example.org`, {
      headers: { authorization: `Bearer ${ws.secretKey}` },
    })
    expect(lookup.status).toBe(503)
    expect(lookup.headers.get('retry-after')).toMatch(/^\d+$/)
    expect((await lookup.json()).error.code).toBe('store_unavailable')
    const health = await fetch(`${collector.url}/health`)
    expect(health.status).toBe(503)
    await sleep(1_500)
    const ackedDuringOutage = load.result.acknowledged.size - ackedBefore
    pg.restart()
    const result = await running

    const counts = await countStored(collector.store.sql, ws.id, result)
    report('postgres-stopped', counts, {
      answers: Object.fromEntries(result.answers),
      attempts: result.attempts,
      ackedDuringOutage,
      slowestMs: result.slowestMs,
    })
    expect(result.contractBreaks).toEqual([])
    expect(result.answers.get('503') ?? 0).toBeGreaterThan(0) // the fault really happened
    expect(result.answers.get('500') ?? 0).toBe(0)
    expect(counts.acknowledged).toBe(events)
    expect(counts.stored).toBe(events)
    expect(counts.duplicates).toBe(0)
    expect(counts.lost).toBe(0)
    expect((await fetch(`${collector.url}/health`)).status).toBe(200)
    expect(findPii(logs.join('\n'), [ws.writeKey, ws.secretKey])).toEqual([])
  })
})
