import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollector, type RunningCollector } from '@lodestone/collector/node'
import { startRedisCluster, waitForClusterOk, type RedisCluster } from '../setup/servers.js'
import { freshDatabase } from './support/child-collector.js'
import { CHAOS, countStored, createLoad, report, scale, sleep } from './support/load.js'
import { findPii } from './support/pii.js'

// Fault 2b: the hot state on a real Redis Cluster (3 masters, 1 replica each, on loopback).
// First the master holding the workspace's slot is SIGKILLed mid-load (its replica takes over),
// then every node. Ingest must answer 200 throughout, lose nothing and store nothing twice:
// the collector falls back to in-process hot state (hot-state/resilient.ts) and comes back.

let redis: RedisCluster
let collector: RunningCollector
let db: Awaited<ReturnType<typeof freshDatabase>>
const logs: string[] = []

const cli = (port: number, ...args: string[]) =>
  execFileSync('redis-cli', ['-p', String(port), ...args], { timeout: 5_000 }).toString()

beforeAll(async () => {
  redis = await startRedisCluster({ masters: 3, replicasPerMaster: 1 })
  db = await freshDatabase()
  collector = await startCollector({
    port: 0,
    databaseUrl: db.url,
    redisCluster: { nodes: redis.env.split(',') },
    rateLimit: 1_000_000,
    log: (message, detail) => logs.push(`${message} ${JSON.stringify(detail ?? {})}`),
  })
})
afterAll(async () => {
  await collector?.close().catch(() => {})
  await redis?.stop().catch(() => {})
  await db?.store.close()
})

/** The node holding `{ws:<id>}`'s slot: the only master answering its keys without MOVED. */
function ownerOf(workspaceId: string, ports: number[]) {
  const key = `{ws:${workspaceId}}:probe`
  return ports.find((port) => {
    try {
      return !/MOVED/.test(cli(port, 'exists', key))
    } catch {
      return false
    }
  })
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

// Runs under `pnpm test:chaos` only: after a failover the collector did not always find the
// promoted master again within 30 s (2 of 5 runs on 6 December 2026) — a known open defect of
// the Redis Cluster adapter's recovery (issue 20), kept out of CI until it is fixed.
describe.skipIf(!CHAOS)('Redis Cluster nodes killed mid-load', () => {
  it('a master fails over, then the whole cluster dies: every batch 200, nothing lost or doubled', async () => {
    const ws = db.workspace
    const ports = redis.nodes.map((n) => n.port)
    const events = scale(1_500, 15_000)

    // 1. The master of the workspace's slot dies; its replica is promoted.
    const first = load('clusterfailover', events)
    const firstRun = first.run()
    await first.acknowledgedAtLeast(Math.floor(events * 0.3))
    const owner = ownerOf(ws.id, ports)
    expect(owner).toBeDefined()
    // Redis was really in use: the workspace's rate-limit counters live on that master.
    expect(cli(owner!, 'keys', `{ws:${ws.id}}:rl:*`).trim()).not.toBe('')
    redis.nodes.find((n) => n.port === owner)!.kill()
    const failover = await firstRun
    const survivors = ports.filter((p) => p !== owner)
    await waitForClusterOk('redis-cli', survivors, 30_000)
    // cluster_state:ok can still be reported before the survivors notice the dead master, so
    // wait for the replica's promotion itself: some survivor answers for the slot.
    let promoted = ownerOf(ws.id, survivors)
    for (const until = Date.now() + 30_000; !promoted && Date.now() < until;) {
      await sleep(250)
      promoted = ownerOf(ws.id, survivors)
    }
    expect(promoted).toBeDefined()
    expect(promoted).not.toBe(owner)

    // The collector finds the promoted master again (the fallback probes every 5 s): a batch of
    // 20 events then adds 20 to the workspace's counter there.
    const backBy = Date.now() + 30_000
    for (;;) {
      const key = `{ws:${ws.id}}:rl:ws:${ws.id}:${Math.floor(Date.now() / 10_000)}`
      const before = Number(cli(promoted!, 'get', key).trim() || 0)
      await load('clusterback', 20).run()
      if (Number(cli(promoted!, 'get', key).trim() || 0) - before === 20) break
      if (Date.now() > backBy) throw new Error('the collector did not return to the cluster')
      await sleep(500)
    }

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
