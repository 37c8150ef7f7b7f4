import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import {
  redisCli,
  slotOwner,
  startRedisCluster,
  waitForSlotOwner,
  type RedisCluster,
} from '../../../../../test/setup/servers.js'
import type { HotState } from '../../ports.js'
import { CollectorError } from '../../errors.js'
import { createRedisClusterHotState } from './hot-state.js'
import { clusterKey } from './keys.js'

// The adapter alone (no resilient wrapper) through a failover, on a real Redis Cluster of this
// file's own: 3 masters with 1 replica each on loopback. The collector-level fault test
// (test/reliability/fault-redis-cluster.test.ts) adds the wrapper's 5 s probe on top of this.
let redis: RedisCluster
let hot: HotState
const logs: string[] = []

const cli = redisCli

/** GET on a replica: READONLY first, on the same connection, or the replica answers MOVED. */
const readOnReplica = (port: number, key: string) =>
  execFileSync('redis-cli', ['-p', String(port)], {
    input: `READONLY\nGET ${key}\n`,
    timeout: 5_000,
  })
    .toString()
    .trim()
    .split('\n')
    .at(-1)

beforeAll(async () => {
  redis = await startRedisCluster({ masters: 3, replicasPerMaster: 1 })
  hot = createRedisClusterHotState({ nodes: redis.env.split(','), log: (m) => logs.push(m) })
})
afterAll(async () => {
  await hot?.close?.()
  await redis?.stop()
})

describe('createRedisClusterHotState through a failover', () => {
  it("follows a workspace's slot to the promoted replica with the same client, failing only as store_unavailable meanwhile", async () => {
    const ports = redis.nodes.map((n) => n.port)
    const key = 'rl:ws:ws_failover:1'
    expect(await hot.incr(key, 5, 600)).toBe(5)
    const owner = await slotOwner('redis-cli', ports, clusterKey(key))
    expect(owner).toBeDefined()
    // The count is on the owner and on its one replica (read there directly) before the owner
    // dies, so the count survives. A WAIT on a connection of its own proved nothing: it waits
    // for that connection's own writes, which are none, and answers at once.
    const node = redis.nodes.find((n) => n.port === owner)!
    const replicas = node.replicas()
    expect(replicas).toHaveLength(1)
    const replica = replicas[0]!
    expect(cli(owner!, 'get', clusterKey(key))).toBe('5')
    await expect.poll(() => readOnReplica(replica, clusterKey(key)), { timeout: 5_000 }).toBe('5')

    node.kill()
    const killedAt = Date.now()
    const survivors = ports.filter((p) => p !== owner)
    // Polled from the moment of the kill, through the window where every survivor answers
    // CLUSTERDOWN: only the promoted replica may be named.
    const promotion = waitForSlotOwner('redis-cli', survivors, clusterKey(key), 30_000).then(
      (port) => ({ port, at: Date.now() }),
    )

    // Calls come for the first 800 ms, while the slot has no master (no replica is promoted
    // before the node timeout, 1 s, has passed): each fails at once, and the slot map ioredis
    // re-reads meanwhile (on the MOVED replies) still names the dead master.
    const failures: unknown[] = []
    while (Date.now() - killedAt < 800) {
      await hot.incr(key, 1, 600).then(
        () => expect.unreachable('the slot has no master yet'),
        (err: unknown) => failures.push(err),
      )
      await new Promise((r) => setTimeout(r, 100))
    }
    // Then a quiet while, as behind the resilient wrapper (after a failure it sends one probe
    // per 5 s): the first call after the promotion goes to the promoted master, not to a stale
    // connection to the dead one. Before the adapter re-read the slot map after failures, this
    // call failed.
    const promoted = await promotion
    await new Promise((r) => setTimeout(r, 2_500))
    const value = await hot.incr(key, 1, 600)

    expect(value).toBe(6)
    expect(failures.length).toBeGreaterThan(0)
    expect(promoted.port).toBe(replica)
    // The adapter's write is on the node named as the slot's new owner, and no call that
    // failed reached Redis later (ioredis retrying or replaying it would have counted it).
    expect(cli(promoted.port, 'get', clusterKey(key))).toBe(String(value))
    // Every failure meanwhile was an outage (the resilient wrapper's cue), none a command error.
    for (const err of failures) {
      expect(err).toBeInstanceOf(CollectorError)
      expect((err as CollectorError).code).toBe('store_unavailable')
    }
    // The other masters' slots kept working, and still do.
    for (const ws of ['ws_a', 'ws_b', 'ws_c', 'ws_d', 'ws_e', 'ws_f']) {
      expect(await hot.incr(`rl:ws:${ws}:1`, 2, 600)).toBe(2)
    }
    expect(logs.join('\n')).not.toMatch(/\d{1,3}(\.\d{1,3}){3}/)
    console.log(
      `[faults] redis-cluster-adapter-return ${JSON.stringify({
        promotedAfterMs: promoted.at - killedAt,
        failedCalls: failures.length,
      })}`,
    )
  })
})
