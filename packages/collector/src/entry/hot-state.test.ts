import { describe, expect, it } from 'vitest'
import { unreachableUrl } from '../../../../test/support/upstash-bridge.js'
import { createHotState } from './hot-state.js'
import { uniquePrefix } from '../test-support/hot-state/describe-hot-state.js'
import { useRedisThroughBridge } from '../test-support/hot-state/redis-bridge.js'

const redis = useRedisThroughBridge()

describe('createHotState', () => {
  it('is in-process without Upstash configuration', async () => {
    const hot = createHotState()
    const key = uniquePrefix('create') + 'k'
    await hot.incr(key, 5)
    expect(await hot.get(key)).toBe('5')
    expect(await redis.direct.exists(key)).toBe(0)
  })

  it('uses Redis through Upstash when configured', async () => {
    const hot = createHotState({ upstash: { url: redis.bridge.url, token: redis.bridge.token } })
    const key = uniquePrefix('create') + 'k'
    await hot.incr(key, 5, 60)
    expect(await redis.direct.get(key)).toBe('5')
  })

  it('still works when the configured Upstash cannot be reached', async () => {
    const logs: string[] = []
    const hot = createHotState({
      upstash: { url: await unreachableUrl(), token: 't' },
      log: (m) => logs.push(m),
    })
    expect(await hot.incr('k', 1, 60)).toBe(1)
    expect(await hot.get('k')).toBe('1')
    expect(logs).toHaveLength(1)
  })

  it('refuses Upstash and a Redis Cluster together, before building either', () => {
    let built = false
    const redisCluster = () => {
      built = true
      return createHotState()
    }
    expect(() =>
      createHotState({
        upstash: { url: redis.bridge.url, token: redis.bridge.token },
        redis: redisCluster,
      }),
    ).toThrow(/REDIS_CLUSTER_NODES or UPSTASH_REDIS_REST_URL, not both/)
    expect(built).toBe(false)
  })

  it('refuses half a configuration', () => {
    expect(() => createHotState({ upstash: { url: redis.bridge.url, token: '' } })).toThrow(/TOKEN/)
  })
})
