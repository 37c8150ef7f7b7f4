import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  redisCli,
  slotOwner,
  startRedisCluster,
  waitForSlotOwner,
  type RedisCluster,
} from '../setup/servers.js'

// The test Redis Cluster (test/setup/servers.ts) under a busy machine: a master that is not
// scheduled for a while must not be replaced behind the test's back, or a write it takes on
// waking is lost when it turns into the new master's replica (the failover tests' flake: the
// count read after the kill answered 1). The stall is a SIGSTOP of three node timeouts; before
// replicas waited for kill(), its replica was promoted in 8 tries out of 8.

let redis: RedisCluster
const cli = redisCli
const epoch = (port: number) =>
  Number(/cluster_current_epoch:(\d+)/.exec(cli(port, 'cluster', 'info'))?.[1])

beforeAll(async () => {
  redis = await startRedisCluster({ masters: 3, replicasPerMaster: 1 })
})
afterAll(async () => {
  await redis?.stop()
})

describe('test Redis Cluster', () => {
  it('keeps a stalled master (no failover until the test kills it), then fails over to its replica', async () => {
    const ports = redis.nodes.map((n) => n.port)
    const key = '{ws:stall}:counter'
    const owner = await slotOwner('redis-cli', ports, key)
    expect(owner).toBeDefined()
    expect(cli(owner!, 'incrby', key, '5')).toBe('5')
    const before = epoch(owner!)
    const pid = Number(/process_id:(\d+)/.exec(cli(owner!, 'info', 'server'))?.[1])
    expect(pid).toBeGreaterThan(0)

    process.kill(pid, 'SIGSTOP')
    try {
      await new Promise((r) => setTimeout(r, 3_000)) // three node timeouts
    } finally {
      process.kill(pid, 'SIGCONT')
    }
    // Time for an election that was under way to finish (one takes about a second).
    await new Promise((r) => setTimeout(r, 2_000))
    expect(epoch(owner!)).toBe(before)
    expect(await slotOwner('redis-cli', ports, key)).toBe(owner)
    expect(cli(owner!, 'incrby', key, '1')).toBe('6')

    // kill() still lets the replica take over, with the count.
    const node = redis.nodes.find((n) => n.port === owner)!
    const [replica] = node.replicas()
    node.kill()
    const survivors = ports.filter((p) => p !== owner)
    expect(await waitForSlotOwner('redis-cli', survivors, key, 30_000)).toBe(replica)
    expect(cli(replica!, 'get', key)).toBe('6')
  })
})
