import { Redis as IoRedis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startUpstashBridge, type UpstashBridge } from '../../../../test/support/upstash-bridge.js'
import { createUpstashHotState } from '../adapters/upstash/hot-state.js'
import { createRateLimiter } from './rate-limit.js'
import { uniquePrefix } from './testing/describe-hot-state.js'

let bridge: UpstashBridge
let direct: IoRedis

beforeAll(async () => {
  bridge = await startUpstashBridge({ redisPort: inject('redisPort') })
  direct = new IoRedis({ port: inject('redisPort'), host: '127.0.0.1' })
})
afterAll(async () => {
  await bridge.stop()
  direct.disconnect()
})

describe('createRateLimiter on Redis through Upstash', () => {
  it('limits, keeps denied cost out of the counter, and gives counters a TTL', async () => {
    const prefix = uniquePrefix('rl')
    const hot = createUpstashHotState({ url: bridge.url, token: bridge.token })
    const limiter = createRateLimiter(hot, { limit: 10, windowSeconds: 60, prefix, log: () => {} })
    expect((await limiter.check('wk_1', 7)).allowed).toBe(true)
    expect((await limiter.check('wk_1', 7)).allowed).toBe(false)
    expect((await limiter.check('wk_1', 3)).allowed).toBe(true)
    const [key] = await direct.keys(`${prefix}wk_1:*`)
    expect(await direct.get(key!)).toBe('10')
    expect(await direct.ttl(key!)).toBeGreaterThan(60)
  })

  it('fails open while Upstash is down', async () => {
    const hot = createUpstashHotState({ url: bridge.url, token: bridge.token })
    const logs: string[] = []
    const limiter = createRateLimiter(hot, { limit: 1, log: (m) => logs.push(m) })
    bridge.pause('error')
    try {
      expect(await limiter.check(uniquePrefix('rl'), 100)).toMatchObject({ allowed: true })
    } finally {
      bridge.resume()
    }
    expect(logs).toEqual([expect.stringMatching(/not enforced/)])
  })
})
