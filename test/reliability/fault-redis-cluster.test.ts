import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollector, type RunningCollector } from '@lodestone/collector/node'
import {
  redisCli,
  slotOwner,
  startRedisCluster,
  waitForSlotOwner,
  type RedisCluster,
} from '../setup/servers.js'
import { freshDatabase } from '../support/child-collector.js'
import { countStored, createLoad, report, scale, sleep } from '../support/load.js'
import { findPii } from '../support/pii.js'

// Fault 2b: the hot state on a real Redis Cluster (3 masters, 1 replica each, on loopback).
// First the master holding the workspace's slot is SIGKILLed mid-load (its replica takes over),
// then every node. Ingest must answer 200 throughout, lose nothing and store nothing twice:
// the collector falls back to in-process hot state (hot-state/resilient.ts) and comes back.

let redis: RedisCluster
let collector: RunningCollector
let db: Awaited<ReturnType<typeof freshDatabase>>
const logs: string[] = []
let lastBackAt = 0

const cli = redisCli

beforeAll(async () => {
  redis = await startRedisCluster({ masters: 3, replicasPerMaster: 1 })
  db = await freshDatabase()
  collector = await startCollector({
    port: 0,
    databaseUrl: db.url,
    redisCluster: { nodes: redis.env.split(',') },
    rateLimit: 1_000_000,
    log: (message, detail) => {
      if (/hot state: primary is back/.test(message)) lastBackAt = Date.now()
      logs.push(`${message} ${JSON.stringify(detail ?? {})}`)
    },
  })
})
afterAll(async () => {
  await collector?.close().catch(() => {})
  await redis?.stop().catch(() => {})
  await db?.store.close()
})

/** The workspace's rate-limit counter for this 10 s window on `port` (0 when not written yet). */
function counterOn(port: number, workspaceId: string, window: number) {
  const reply = cli(port, 'get', `{ws:${workspaceId}}:rl:ws:${workspaceId}:${window}`).trim()
  // An error reply (MOVED, CLUSTERDOWN) would read as NaN; say which node answered what.
  if (!/^\d*$/.test(reply)) throw new Error(`node ${port} answered ${JSON.stringify(reply)}`)
  return Number(reply || 0)
}

const load = (tag: string, events: number) =>
  createLoad({
    url: collector.url,
    writeKey: db.workspace.writeKey,
    events,
    batchSize: 20,
    concurrency: 6,
    retry: true,
    tag,
    paceMs: 5,
  })

describe('Redis Cluster nodes killed mid-load', () => {
  it('a master fails over, then the whole cluster dies: every batch 200, nothing lost or doubled', async () => {
    const ws = db.workspace
    const ports = redis.nodes.map((n) => n.port)
    const events = scale(1_500, 15_000)

    // 1. The master of the workspace's slot dies; its replica is promoted.
    const probe = `{ws:${ws.id}}:probe`
    const first = load('clusterfailover', events)
    const firstRun = first.run()
    await first.acknowledgedAtLeast(Math.floor(events * 0.3))
    const owner = await slotOwner('redis-cli', ports, probe)
    expect(owner).toBeDefined()
    // Redis was really in use: the workspace's rate-limit counters live on that master.
    expect(cli(owner!, 'keys', `{ws:${ws.id}}:rl:*`).trim()).not.toBe('')
    // Its one replica takes over: replicas of the test cluster fail over only when the test
    // kills their master (test/setup/servers.ts), so no master stalled by a busy machine was
    // replaced before this point.
    const victim = redis.nodes.find((n) => n.port === owner)!
    const replicas = victim.replicas()
    expect(replicas).toHaveLength(1)
    victim.kill()
    const killedAt = Date.now()
    // Wait for the promotion itself: a survivor that answers the workspace's keys. Between the
    // master's death and the promotion every survivor answers CLUSTERDOWN, which is no answer
    // for the slot (slotOwner); taking it for one read the counter from a node that never held
    // it, and was the flake this test was once gated for.
    const survivors = ports.filter((p) => p !== owner)
    const promotion = waitForSlotOwner('redis-cli', survivors, probe, 30_000).then((port) => ({
      port,
      at: Date.now(),
    }))
    const failover = await firstRun
    const { port: promoted, at: promotedAt } = await promotion
    expect(promoted).toBe(replicas[0])

    // The collector finds the promoted master again (the fallback probes every 5 s): a batch of
    // 20 events then adds 20 to the workspace's counter there.
    const backBy = Date.now() + 30_000
    for (;;) {
      const window = Math.floor(Date.now() / 10_000)
      const before = counterOn(promoted, ws.id, window)
      await load('clusterback', 20).run()
      if (counterOn(promoted, ws.id, window) - before === 20) break
      if (Date.now() > backBy) throw new Error('the collector did not return to the cluster')
      await sleep(250)
    }
    // How long until the promoted master was used: the breaker's last switch back to Redis
    // before the check above (or the check itself, if the collector never left Redis).
    const provedAt = Date.now()
    const backAt = lastBackAt > killedAt ? lastBackAt : provedAt
    console.log(
      `[faults] redis-cluster-return ${JSON.stringify({
        promotedAfterMs: promotedAt - killedAt,
        backAfterMs: backAt - killedAt,
        provedAfterMs: provedAt - killedAt,
      })}`,
    )

    // 2. Every node dies.
    const second = load('clusterdown', events)
    const secondRun = second.run()
    await second.acknowledgedAtLeast(Math.floor(events * 0.3))
    for (const node of redis.nodes) node.kill()
    const down = await secondRun

    for (const [name, result] of [
      ['redis-cluster-failover', failover],
      ['redis-cluster-down', down],
    ] as const) {
      const counts = await countStored(db.store.sql, ws.id, result)
      report(name, counts, { answers: Object.fromEntries(result.answers) })
      expect(result.contractBreaks).toEqual([])
      expect([...result.answers.keys()]).toEqual(['200']) // no 503, no retry needed
      expect(counts.stored).toBe(events)
      expect(counts.duplicates).toBe(0)
      expect(counts.lost).toBe(0)
    }
    expect(logs.join('\n')).toMatch(/hot state: primary unavailable/)
    expect(logs.join('\n')).toMatch(/hot state: primary is back/)

    // Scores kept through both outages equal scores recomputed from the stored events.
    const res = await fetch(`${collector.url}/v1/scoring/rescore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.secretKey}` },
    })
    expect(res.status).toBe(200)
    const rescore = (await res.json()) as { changed: number }
    expect(rescore.changed).toBe(0)
    expect(findPii(logs.join('\n'), [ws.writeKey, ws.secretKey])).toEqual([])
  })
})
