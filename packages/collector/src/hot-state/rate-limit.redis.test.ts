import { describe, expect, it } from 'vitest'
import { createUpstashHotState } from '../adapters/upstash/hot-state.js'
import { createRateLimiter } from './rate-limit.js'
import { uniquePrefix } from '../test-support/hot-state/describe-hot-state.js'
import { useRedisThroughBridge } from '../test-support/hot-state/redis-bridge.js'

const redis = useRedisThroughBridge()

describe('createRateLimiter on Redis through Upstash', () => {
  it('limits, keeps denied cost out of the counter, and gives counters a TTL', async () => {
    const prefix = uniquePrefix('rl')
    const hot = createUpstashHotState({ url: redis.bridge.url, token: redis.bridge.token })
    const limiter = createRateLimiter(hot, { limit: 10, windowSeconds: 60, prefix, log: () => {} })
    expect((await limiter.check('wk_1', 7)).allowed).toBe(true)
    expect((await limiter.check('wk_1', 7)).allowed).toBe(false)
    expect((await limiter.check('wk_1', 3)).allowed).toBe(true)
    const [key] = await redis.direct.keys(`${prefix}wk_1:*`)
    expect(await redis.direct.get(key!)).toBe('10')
    expect(await redis.direct.ttl(key!)).toBeGreaterThan(60)
  })

  it('fails open while Upstash is down', async () => {
    const hot = createUpstashHotState({ url: redis.bridge.url, token: redis.bridge.token })
    const logs: string[] = []
    const limiter = createRateLimiter(hot, { limit: 1, log: (m) => logs.push(m) })
    redis.bridge.pause('error')
    try {
      expect(await limiter.check(uniquePrefix('rl'), 100)).toMatchObject({ allowed: true })
    } finally {
      redis.bridge.resume()
    }
    expect(logs).toEqual([expect.stringMatching(/not enforced/)])
  })
})
