import { describe, expect, it } from 'vitest'
import { unreachableUrl } from '../../../../../test/support/upstash-bridge.js'
import { describeHotState } from '../../test-support/hot-state/describe-hot-state.js'
import { createUpstashHotState } from './hot-state.js'
import { useRedisThroughBridge } from '../../test-support/hot-state/redis-bridge.js'

const redis = useRedisThroughBridge()

// Real Redis cannot be given a fake clock, so "time passes" by shortening every TTL under the
// test's prefix, and deleting what would have expired: deterministic, and no sleeping.
async function advance(prefix: string, ms: number) {
  const keys = await redis.direct.keys(`${prefix}*`)
  for (const key of keys) {
    const left = await redis.direct.pttl(key)
    if (left < 0) continue
    if (left <= ms) await redis.direct.del(key)
    else await redis.direct.pexpire(key, left - ms)
  }
}

describeHotState('upstash → redis', (prefix) => ({
  hot: createUpstashHotState({ url: redis.bridge.url, token: redis.bridge.token }),
  advance: (ms) => advance(prefix, ms),
}))

describe('createUpstashHotState against an unhealthy Upstash', () => {
  it('writes through to Redis itself', async () => {
    const hot = createUpstashHotState({ url: redis.bridge.url, token: redis.bridge.token })
    await redis.direct.del('t:upstash:through')
    await hot.incr('t:upstash:through', 2, 30)
    expect(await redis.direct.get('t:upstash:through')).toBe('2')
    expect(await redis.direct.ttl('t:upstash:through')).toBeGreaterThan(0)
  })

  it('rejects with store_unavailable on a wrong token', async () => {
    const hot = createUpstashHotState({ url: redis.bridge.url, token: 'wrong' })
    await expect(hot.get('t:upstash:x')).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringMatching(/Unauthorized/),
    })
  })

  it('rejects with store_unavailable while Upstash answers 503', async () => {
    const hot = createUpstashHotState({ url: redis.bridge.url, token: redis.bridge.token })
    redis.bridge.pause('error')
    try {
      await expect(hot.incr('t:upstash:c', 1, 10)).rejects.toMatchObject({
        code: 'store_unavailable',
      })
    } finally {
      redis.bridge.resume()
    }
    expect(await hot.incr('t:upstash:c', 1, 10)).toBeGreaterThan(0)
  })

  it('gives up on a request that never answers instead of hanging', async () => {
    const hot = createUpstashHotState({
      url: redis.bridge.url,
      token: redis.bridge.token,
      timeoutMs: 200,
    })
    redis.bridge.pause('hang')
    try {
      await expect(hot.get('t:upstash:h')).rejects.toMatchObject({
        code: 'store_unavailable',
        message: expect.stringMatching(/within 200 ms/),
      })
    } finally {
      redis.bridge.resume()
    }
  })

  it('rejects with store_unavailable when connections are reset or refused', async () => {
    const hot = createUpstashHotState({ url: redis.bridge.url, token: redis.bridge.token })
    redis.bridge.pause('reset')
    try {
      await expect(hot.incr('t:upstash:r')).rejects.toMatchObject({ code: 'store_unavailable' })
    } finally {
      redis.bridge.resume()
    }
    const nobody = createUpstashHotState({ url: await unreachableUrl(), token: 't' })
    await expect(nobody.get('k')).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringMatching(/ECONNREFUSED/),
    })
  })

  it('reports a refused command as a command error, without the value in the message', async () => {
    const hot = createUpstashHotState({ url: redis.bridge.url, token: redis.bridge.token })
    // Only Redis itself can hold a non-integer under a counter's key (the port writes counters).
    await redis.direct.set('t:upstash:secret', 'jane@example.com')
    const err = await hot.incr('t:upstash:secret').catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'internal', message: expect.stringMatching(/integer/) })
    expect((err as Error).message).not.toContain('jane@example.com')
  })
})
