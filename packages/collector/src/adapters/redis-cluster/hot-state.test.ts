import { Cluster } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  freePort,
  startRedisCluster,
  type RedisCluster,
} from '../../../../../test/setup/servers.js'
import type { HotState } from '../../ports.js'
import { describeHotState } from '../../test-support/hot-state/describe-hot-state.js'
import { createLiveFeed } from '../../live/feed.js'
import { createIngestLimits } from '../../middleware/ingest-limits.js'
import { createRedisClusterHotState } from './hot-state.js'
import { parseNode, parseNodeList } from './nodes.js'
import { clusterKey, hashTag } from './keys.js'
import { toHotStateError } from './errors.js'

// A real Redis Cluster of this file's own on loopback: 3 masters, no replicas (failover is
// hot-state.failover.test.ts's business, and test/reliability/fault-redis-cluster.test.ts's).
let redis: RedisCluster
let direct: Cluster
const opened: HotState[] = []
const open = () => {
  const hot = createRedisClusterHotState({ nodes: redis.env.split(','), log: () => {} })
  opened.push(hot)
  return hot
}

beforeAll(async () => {
  redis = await startRedisCluster({ masters: 3 })
  direct = new Cluster(redis.nodes.map((n) => parseNode(n.address)))
})
afterAll(async () => {
  await Promise.all(opened.map((h) => h.close?.()))
  direct?.disconnect()
  await redis?.stop()
})

/** Keys matching `pattern` on every master, each with the port of the master holding it. */
async function keysOnMasters(pattern: string): Promise<{ key: string; port: number }[]> {
  const found: { key: string; port: number }[] = []
  for (const node of direct.nodes('master')) {
    for (const key of await node.keys(pattern)) found.push({ key, port: node.options.port ?? 0 })
  }
  return found
}
const keysMatching = async (pattern: string) => (await keysOnMasters(pattern)).map((f) => f.key)

// Real Redis cannot be given a fake clock, so "time passes" by shortening every TTL under the
// test's prefix, and deleting what would have expired: deterministic, and no sleeping.
async function advance(prefix: string, ms: number) {
  for (const key of await keysMatching(`*${prefix}*`)) {
    const left = await direct.pttl(key)
    if (left < 0) continue
    if (left <= ms) await direct.del(key)
    else await direct.pexpire(key, left - ms)
  }
}

describeHotState('redis cluster', (prefix) => ({
  hot: open(),
  advance: (ms) => advance(prefix, ms),
}))

// The same contract with every key in a workspace's shape, so all of a test's keys go through
// the `{ws:…}` hash tag into one slot.
describeHotState('redis cluster, workspace keys', (prefix) => {
  const hot = open()
  const counter = (k: string) => `rl:ws:${k}`
  const feed = (k: string) => `live:${k}`
  return {
    hot: {
      get: (k) => hot.get(counter(k)),
      incr: (k, by, ttl) => hot.incr(counter(k), by, ttl),
      feedAppend: (s, e, n) => hot.feedAppend(feed(s), e, n),
      feedRead: (s, after, n) => hot.feedRead(feed(s), after, n),
    },
    advance: (ms) => advance(prefix, ms),
  }
})

describe('hash tags', () => {
  it('tags every key the collector writes by its workspace (or address)', () => {
    expect(clusterKey('rl:ws:ws_1:1700000')).toBe('{ws:ws_1}:rl:ws:ws_1:1700000')
    expect(clusterKey('live:ws_1')).toBe('{ws:ws_1}:live:ws_1')
    expect(clusterKey('rl:ip:2001:db8::1:1700000')).toBe(
      '{ip:2001:db8::1}:rl:ip:2001:db8::1:1700000',
    )
    expect(hashTag('rl:ws:ws_1:5')).toBe(hashTag('live:ws_1'))
    expect(clusterKey('lodestone:probe')).toBe('lodestone:probe')
    expect(hashTag('rl:ws:')).toBeNull()
    expect(hashTag('live:')).toBeNull()
  })

  it("puts one workspace's limits and live feed in one slot, and spreads workspaces over the masters", async () => {
    const hot = open()
    const limits = createIngestLimits(hot, { getConnectionIp: () => '203.0.113.9' })
    const live = createLiveFeed(hot)
    const run = Date.now().toString(36)
    const workspaces = Array.from({ length: 24 }, (_, i) => `ws_${run}_${i}`)
    const c = {} as Parameters<typeof limits.checkIngest>[0]
    for (const ws of workspaces) {
      await limits.checkIngest(c, ws, 3)
      await live.publish(ws, [{ kind: 'events', events: [] }])
    }
    const holders = new Set<number>()
    for (const ws of workspaces) {
      const found = await keysOnMasters(`{ws:${ws}}:*`)
      const keys = found.map((f) => f.key)
      expect(keys.some((k) => k.includes(':rl:ws:'))).toBe(true)
      expect(keys.some((k) => k.includes(':live:'))).toBe(true)
      const slots = new Set(await Promise.all(keys.map((k) => direct.cluster('KEYSLOT', k))))
      expect(slots.size).toBe(1)
      const ports = new Set(found.map((f) => f.port))
      expect(ports.size).toBe(1)
      holders.add(found[0]!.port)
    }
    // 24 workspaces over 3 masters: all on one would be (1/3)^23 by chance.
    expect(holders.size).toBeGreaterThanOrEqual(2)
  })
})

describe('createRedisClusterHotState against an unhealthy cluster', () => {
  it('writes through to the cluster itself, under the tagged key', async () => {
    const hot = open()
    const ws = `ws_through_${Date.now().toString(36)}`
    await hot.incr(`rl:ws:${ws}:1`, 2, 30)
    expect(await direct.get(`{ws:${ws}}:rl:ws:${ws}:1`)).toBe('2')
    expect(await direct.ttl(`{ws:${ws}}:rl:ws:${ws}:1`)).toBeGreaterThan(0)
  })

  it('rejects with store_unavailable within its deadline when no node answers', async () => {
    const hot = createRedisClusterHotState({
      nodes: [`127.0.0.1:${await freePort()}`],
      timeoutMs: 300,
      log: () => {},
    })
    opened.push(hot)
    const started = Date.now()
    await expect(hot.incr('rl:ws:ws_x:1', 1, 10)).rejects.toMatchObject({
      code: 'store_unavailable',
    })
    await expect(hot.feedRead('live:ws_x', null, 10)).rejects.toMatchObject({
      code: 'store_unavailable',
    })
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('reports a refused command as a command error, without the value in the message', async () => {
    const hot = open()
    await direct.set('{ws:ws_secret}:rl:ws:ws_secret:1', 'jane@example.com')
    const err = await hot.incr('rl:ws:ws_secret:1', 1, 10).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'internal', message: expect.stringMatching(/integer/) })
    expect((err as Error).message).not.toContain('jane@example.com')
    const plain = await hot.incr('rl:ws:ws_secret:1').catch((e: unknown) => e)
    expect(plain).toMatchObject({ code: 'internal' })
  })

  it('names no node address in its errors (the logs are scanned for IP addresses)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7000'), {
      code: 'ECONNREFUSED',
    })
    expect(toHotStateError(refused, 'get')).toMatchObject({
      code: 'store_unavailable',
      message: 'Hot state unavailable: get: connect ECONNREFUSED <node>',
    })
    expect(toHotStateError(new Error('MOVED 12 [::1]:7001'), 'incr').message).not.toMatch(
      /::1|12 \[/,
    )
  })

  it('refuses seed nodes that are not host:port', () => {
    expect(parseNode('[::1]:7000')).toEqual({ host: '::1', port: 7000 })
    for (const bad of ['localhost', '127.0.0.1:0', '127.0.0.1:70000', 'a b:1', ':7000']) {
      expect(() => parseNode(bad)).toThrow(/host:port/)
    }
    expect(parseNodeList(' 10.0.0.1:7000, redis-2:7001 ,')).toEqual([
      '10.0.0.1:7000',
      'redis-2:7001',
    ])
    expect(parseNodeList('10.0.0.1:7000,redis-2')).toBeNull()
    expect(parseNodeList(' , ')).toBeNull()
  })
})
