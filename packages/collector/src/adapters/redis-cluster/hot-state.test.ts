import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Cluster } from 'ioredis'
import { startRedisCluster, type RedisCluster } from '../../../../../test/support/redis-cluster.js'
import { describeHotState } from '../../hot-state/testing/describe-hot-state.js'
import { createRateLimiter } from '../../hot-state/rate-limit.js'
import { clusterKey, createRedisClusterHotState } from './hot-state.js'

// A real Redis Cluster of three `redis-server --cluster-enabled yes` on loopback ports.
let redisCluster: RedisCluster
let direct: Cluster
const opened: { close?: () => Promise<void> }[] = []

beforeAll(async () => {
  redisCluster = await startRedisCluster(3)
  direct = new Cluster(
    redisCluster.nodes.map((n) => ({ host: '127.0.0.1', port: Number(n.split(':')[1]) })),
  )
}, 60_000)
afterAll(async () => {
  for (const h of opened) await h.close?.()
  direct.disconnect()
  await redisCluster.stop()
})

const open = () => {
  const hot = createRedisClusterHotState({ nodes: redisCluster.nodes })
  opened.push(hot)
  return hot
}

/** Every key under a prefix, from every master. */
async function keysUnder(prefix: string): Promise<string[]> {
  const out: string[] = []
  for (const node of direct.nodes('master')) out.push(...(await node.keys(`${prefix}*`)))
  return out
}

// Real Redis cannot be given a fake clock: "time passes" by shortening the TTLs (see the
// Upstash adapter's test).
async function advance(prefix: string, ms: number) {
  for (const key of await keysUnder(prefix)) {
    const left = await direct.pttl(key)
    if (left < 0) continue
    if (left <= ms) await direct.del(key)
    else await direct.pexpire(key, left - ms)
  }
}

describeHotState('redis cluster (ioredis)', (prefix) => ({
  hot: open(),
  advance: (ms) => advance(prefix, ms),
}))

describe('Redis Cluster hot state', () => {
  it('keeps every key of one workspace in one slot, and spreads workspaces over the shards', async () => {
    const hot = open()
    const ws = 'ws_0123456789abcdef'
    await hot.incr(`rl:ws:${ws}:123`, 5, 60)
    await hot.feedAppend(`live:${ws}`, 'x', 10)
    expect(clusterKey(`rl:ws:${ws}:123`)).toBe(`rl:ws:{${ws}}:123`)
    const slots = new Set<number>()
    for (const key of [`rl:ws:{${ws}}:123`, `live:{${ws}}`]) {
      expect(await direct.exists(key)).toBe(1)
      slots.add(Number(await direct.call('cluster', 'keyslot', key)))
    }
    expect(slots.size).toBe(1)
    // Many workspaces' counters end up on every master.
    for (let i = 0; i < 30; i++)
      await hot.incr(`rl:ws:ws_${i.toString(16).padStart(16, '0')}:1`, 1, 60)
    const perNode = await Promise.all(
      direct.nodes('master').map(async (n) => (await n.keys('rl:ws:{ws_*')).length),
    )
    expect(perNode.every((count) => count > 0)).toBe(true)
  })

  it('runs the rate limiter across shards', async () => {
    const limiter = createRateLimiter(open(), { limit: 10, windowSeconds: 60, log: () => {} })
    const ws = 'ws_00000000000000aa'
    expect((await limiter.check(ws, 7)).allowed).toBe(true)
    expect((await limiter.check(ws, 7)).allowed).toBe(false)
    expect((await limiter.check(ws, 3)).allowed).toBe(true)
  })

  it('rejects with store_unavailable when the cluster is unreachable', async () => {
    const hot = createRedisClusterHotState({ nodes: ['127.0.0.1:1'], timeoutMs: 300 })
    opened.push(hot)
    await expect(hot.get('k')).rejects.toMatchObject({ code: 'store_unavailable' })
  }, 20_000)
})
