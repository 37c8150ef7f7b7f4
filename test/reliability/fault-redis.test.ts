import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollector, type RunningCollector } from '@lodestone/collector/node'
import { startRedis, type Service } from '../setup/servers.js'
import { startUpstashBridge, type UpstashBridge } from '../support/upstash-bridge.js'
import { freshDatabase } from '../support/child-collector.js'
import { countStored, createLoad, report, scale } from '../support/load.js'
import { findPii } from '../support/pii.js'

// Fault 2: Redis dies in the middle of a load. The collector reaches Redis through the Upstash
// REST bridge (a stand-in for Upstash's cloud front door, over a real redis-server of this
// test's own). Ingest must go on with the in-process fallback and scores must stay correct.

let redis: Service
let bridge: UpstashBridge
let collector: RunningCollector
let db: Awaited<ReturnType<typeof freshDatabase>>
const logs: string[] = []

beforeAll(async () => {
  redis = await startRedis()
  bridge = await startUpstashBridge({ redisPort: redis.port })
  db = await freshDatabase()
  collector = await startCollector({
    port: 0,
    databaseUrl: db.url,
    upstash: { url: bridge.url, token: bridge.token },
    rateLimit: 1_000_000,
    log: (message, detail) => logs.push(`${message} ${JSON.stringify(detail ?? {})}`),
  })
})
afterAll(async () => {
  await collector?.close().catch(() => {})
  await bridge?.stop().catch(() => {})
  await redis?.stop().catch(() => {})
  await db?.store.close()
})

describe('Redis killed mid-load', () => {
  it('ingest goes on (every batch 200), nothing lost, and a full rescore changes no score', async () => {
    const { workspace: ws } = db
    const events = scale(2_000, 20_000)
    const load = createLoad({
      url: collector.url,
      writeKey: ws.writeKey,
      events,
      batchSize: 20,
      concurrency: 6,
      retry: true,
      tag: 'redisfault',
      paceMs: 5,
    })
    const running = load.run()
    await load.acknowledgedAtLeast(Math.floor(events * 0.3))
    const commandsBefore = bridge.commands
    expect(commandsBefore).toBeGreaterThan(0) // Redis was really in use
    await redis.stop()
    const result = await running

    const counts = await countStored(db.store.sql, ws.id, result)
    report('redis-killed', counts, {
      answers: Object.fromEntries(result.answers),
      redisCommandsBeforeKill: commandsBefore,
    })
    expect(result.contractBreaks).toEqual([])
    expect([...result.answers.keys()]).toEqual(['200']) // no 503, no retry needed
    expect(counts.stored).toBe(events)
    expect(counts.duplicates).toBe(0)
    expect(counts.lost).toBe(0)
    expect(logs.join('\n')).toMatch(/hot state: primary unavailable/)

    // Scores kept during the outage equal scores recomputed from the stored events.
    const res = await fetch(`${collector.url}/v1/scoring/rescore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.secretKey}` },
    })
    expect(res.status).toBe(200)
    const rescore = await res.json()
    expect(rescore.done).toBe(50) // 50 visitors in the load
    expect(rescore.changed).toBe(0)
    expect(findPii(logs.join('\n'), [ws.writeKey, ws.secretKey, bridge.token])).toEqual([])
  })
})
