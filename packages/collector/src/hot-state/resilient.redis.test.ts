import { describe, expect, it } from 'vitest'
import { createMemoryHotState } from '../adapters/memory/hot-state.js'
import { createUpstashHotState } from '../adapters/upstash/hot-state.js'
import { createResilientHotState } from './resilient.js'
import { createFakeClock } from '../test-support/hot-state/fake-clock.js'
import { uniquePrefix } from '../test-support/hot-state/describe-hot-state.js'
import { useRedisThroughBridge } from '../test-support/hot-state/redis-bridge.js'

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
      await hot.incr(`${p}before`, 7, 60)
      expect(await redis.direct.get(`${p}before`)).toBe('7')

      redis.bridge.pause(mode)
      try {
        expect(await hot.incr(`${p}during`, 2, 60)).toBe(2)
        expect(await hot.incr(`${p}during`, 1, 60)).toBe(3)
        expect(await hot.get(`${p}during`)).toBe('3')
        expect(hot.using).toBe('fallback')
      } finally {
        redis.bridge.resume()
      }
      expect(await redis.direct.get(`${p}during`)).toBeNull()

      clock.advance(5_000)
      await hot.incr(`${p}after`, 1, 60)
      expect(hot.using).toBe('primary')
      expect(await redis.direct.get(`${p}after`)).toBe('1')
      expect(await hot.get(`${p}before`)).toBe('7')
    })
  }
})
