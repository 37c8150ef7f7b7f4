import { describe, expect, it } from 'vitest'
import { createMemoryHotState } from '../adapters/memory/hot-state.js'
import { createUpstashHotState } from '../adapters/upstash/hot-state.js'
import { createResilientHotState } from './resilient.js'
import { createFakeClock } from './testing/fake-clock.js'
import { uniquePrefix } from './testing/describe-hot-state.js'
import { useRedisThroughBridge } from './testing/redis-bridge.js'

const redis = useRedisThroughBridge()

function setup(timeoutMs = 1_000) {
  const clock = createFakeClock()
  const hot = createResilientHotState(
    createUpstashHotState({ url: redis.bridge.url, token: redis.bridge.token, timeoutMs }),
    createMemoryHotState({ clock }),
    { clock, probeIntervalMs: 5_000, log: () => {} },
  )
  return { clock, hot, p: uniquePrefix('resilient') }
}

describe('createResilientHotState over Upstash → Redis', () => {
  for (const mode of ['error', 'hang', 'reset'] as const) {
    it(`keeps working through a Redis outage (${mode}) and goes back to Redis after it`, async () => {
      // Only a hanging Redis waits for the timeout; elsewhere a long one keeps a slow CI machine
      // from being taken for an outage before the test pauses Redis.
      const { clock, hot, p } = setup(mode === 'hang' ? 2_000 : 10_000)
      await hot.set(`${p}before`, 'in redis')
      expect(await redis.direct.get(`${p}before`)).toBe('in redis')

      redis.bridge.pause(mode)
      try {
        await hot.set(`${p}during`, 'in memory')
        expect(await hot.get(`${p}during`)).toBe('in memory')
        expect(await hot.setIfAbsent(`${p}dedupe`, '1', 60)).toBe(true)
        expect(await hot.setIfAbsent(`${p}dedupe`, '1', 60)).toBe(false)
        expect(hot.using).toBe('fallback')
      } finally {
        redis.bridge.resume()
      }
      expect(await redis.direct.get(`${p}during`)).toBeNull()

      clock.advance(5_000)
      await hot.set(`${p}after`, 'in redis again')
      expect(hot.using).toBe('primary')
      expect(await redis.direct.get(`${p}after`)).toBe('in redis again')
      expect(await hot.get(`${p}before`)).toBe('in redis')
    })
  }

  it('drops keys changed during the outage from Redis before using it again', async () => {
    const { clock, hot, p } = setup(10_000)
    await hot.set(`${p}identity`, 'contact-A', 3600)
    redis.bridge.pause('error')
    try {
      await hot.set(`${p}identity`, 'contact-B', 3600)
    } finally {
      redis.bridge.resume()
    }
    clock.advance(5_000)
    expect(await hot.get(`${p}identity`)).toBeNull()
    expect(await redis.direct.exists(`${p}identity`)).toBe(0)
  })
})
