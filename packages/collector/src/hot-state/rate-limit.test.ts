import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMemoryHotState } from '../adapters/memory/hot-state.js'
import { createRateLimiter, type RateLimiterOptions } from './rate-limit.js'
import { createFakeClock } from '../test-support/hot-state/fake-clock.js'
import { createFlakyHotState } from '../test-support/hot-state/flaky-hot-state.js'

function setup(options: RateLimiterOptions = {}) {
  // Start on a window boundary so tests can reason about elapsed fractions.
  const clock = createFakeClock(Date.UTC(2025, 0, 1))
  const hot = createFlakyHotState(createMemoryHotState({ clock }))
  const logs: string[] = []
  const limiter = createRateLimiter(hot, { clock, log: (m) => logs.push(m), ...options })
  return { clock, hot, limiter, logs }
}

describe('createRateLimiter', () => {
  it('by default lets one write key send 50,000 events/s, sustained', async () => {
    const { clock, limiter } = setup()
    // 30 s of 2,500-event batches, 20 per second: 50,000 events/s.
    for (let i = 0; i < 600; i++) {
      const r = await limiter.check('wk_busy', 2_500)
      expect(r.allowed).toBe(true)
      clock.advance(50)
    }
  })

  it('by default stops a key sending far more than that', async () => {
    const { limiter } = setup()
    let allowed = 0
    for (let i = 0; i < 400; i++) if ((await limiter.check('wk_flood', 2_500)).allowed) allowed++
    expect(allowed * 2_500).toBeLessThanOrEqual(600_000)
    expect(allowed).toBeGreaterThan(0)
  })

  it('counts the cost of a batch, reports what remains, and does not count denials', async () => {
    const { limiter } = setup({ limit: 100, windowSeconds: 10 })
    expect(await limiter.check('k', 60)).toEqual({
      allowed: true,
      remaining: 40,
      retryAfterSeconds: 0,
    })
    const denied = await limiter.check('k', 60)
    expect(denied.allowed).toBe(false)
    expect(denied.remaining).toBe(0)
    expect(denied.retryAfterSeconds).toBeGreaterThan(0)
    expect(denied.retryAfterSeconds).toBeLessThanOrEqual(20)
    expect(await limiter.check('k', 40)).toMatchObject({ allowed: true, remaining: 0 })
    expect((await limiter.check('k')).allowed).toBe(false)
  })

  it('keeps keys apart', async () => {
    const { limiter } = setup({ limit: 10 })
    expect((await limiter.check('a', 10)).allowed).toBe(true)
    expect((await limiter.check('a', 1)).allowed).toBe(false)
    expect((await limiter.check('b', 10)).allowed).toBe(true)
  })

  it('slides: the previous window weighs less as time passes', async () => {
    const { clock, limiter } = setup({ limit: 100, windowSeconds: 10 })
    expect((await limiter.check('k', 100)).allowed).toBe(true)
    clock.advance(10_000) // next window, previous still weighs 100%
    expect((await limiter.check('k', 1)).allowed).toBe(false)
    clock.advance(5_000) // halfway: previous weighs 50
    expect((await limiter.check('k', 50)).allowed).toBe(true)
    expect((await limiter.check('k', 1)).allowed).toBe(false)
  })

  it('allows the same request once Retry-After has passed', async () => {
    const { clock, limiter } = setup({ limit: 100, windowSeconds: 10 })
    await limiter.check('k', 30)
    clock.advance(7_000)
    await limiter.check('k', 70)
    for (const cost of [1, 50, 100]) {
      const denied = await limiter.check('k', cost)
      expect(denied.allowed).toBe(false)
      clock.advance(denied.retryAfterSeconds * 1000)
      expect((await limiter.check('k', cost)).allowed).toBe(true)
      clock.advance(30_000) // let the window empty for the next case
      await limiter.check('k', 100)
    }
  })

  it('never allows more than the limit within one window (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 200 }),
        async (costs, limit) => {
          const { limiter } = setup({ limit, windowSeconds: 60 })
          let total = 0
          for (const cost of costs) {
            const r = await limiter.check('p', cost)
            if (r.allowed) total += cost
            // A denial happens only when the cost really did not fit.
            else expect(total + cost).toBeGreaterThan(limit)
          }
          expect(total).toBeLessThanOrEqual(limit)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('fails open while hot state is down, logging once per outage', async () => {
    const { hot, limiter, logs } = setup({ limit: 1 })
    hot.down = true
    for (let i = 0; i < 5; i++) expect((await limiter.check('k', 1_000)).allowed).toBe(true)
    expect(logs).toHaveLength(1)
    hot.down = false
    expect((await limiter.check('k', 1)).allowed).toBe(true)
    expect((await limiter.check('k', 1)).allowed).toBe(false)
    hot.down = true
    await limiter.check('k')
    expect(logs).toHaveLength(2)
  })

  it('rejects a negative or fractional cost', async () => {
    const { limiter } = setup()
    await expect(limiter.check('k', -5)).rejects.toThrow(RangeError)
    await expect(limiter.check('k', 1.5)).rejects.toThrow(RangeError)
  })
})
