import { describe, expect, it } from 'vitest'
import { createMemoryHotState } from '../adapters/memory/hot-state.js'
import { hotStateCommandError } from './errors.js'
import { createResilientHotState } from './resilient.js'
import { createFakeClock } from '../test-support/hot-state/fake-clock.js'
import { createFlakyHotState } from '../test-support/hot-state/flaky-hot-state.js'

function setup() {
  const clock = createFakeClock()
  const redis = createFlakyHotState(createMemoryHotState({ clock }))
  const local = createMemoryHotState({ clock })
  const logs: string[] = []
  const hot = createResilientHotState(redis, local, {
    clock,
    probeIntervalMs: 5_000,
    log: (m) => logs.push(m),
  })
  return { clock, redis, local, hot, logs }
}

describe('createResilientHotState', () => {
  it('uses the primary while it is healthy', async () => {
    const { redis, local, hot } = setup()
    await hot.incr('k', 2)
    expect(await redis.get('k')).toBe('2')
    expect(await local.get('k')).toBeNull()
    expect(hot.using).toBe('primary')
  })

  it('keeps answering from the fallback when the primary goes down, logging once', async () => {
    const { redis, local, hot, logs } = setup()
    redis.down = true
    expect(await hot.incr('n', 3, 60)).toBe(3)
    expect(await hot.get('n')).toBe('3')
    expect(await hot.feedAppend('feed', 'e', 10)).toMatch(/^\d+-\d+$/)
    expect(await local.get('n')).toBe('3')
    expect(hot.using).toBe('fallback')
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatch(/primary unavailable/)
  })

  it('does not call the primary again until the probe interval has passed', async () => {
    const { clock, redis, hot } = setup()
    redis.down = true
    await hot.get('a')
    const callsAfterTrip = redis.calls
    for (let i = 0; i < 10; i++) await hot.get('a')
    clock.advance(4_999)
    await hot.get('a')
    expect(redis.calls).toBe(callsAfterTrip)
    clock.advance(1)
    await hot.get('a')
    expect(redis.calls).toBe(callsAfterTrip + 1)
    expect(hot.using).toBe('fallback')
  })

  it('returns to the primary once it is back', async () => {
    const { clock, redis, hot, logs } = setup()
    redis.down = true
    await hot.incr('n')
    redis.down = false
    clock.advance(5_000)
    expect(await hot.incr('n')).toBe(1) // the primary's counter, not the fallback's 2
    expect(hot.using).toBe('primary')
    expect(logs.at(-1)).toMatch(/primary is back/)
  })

  it('keeps the live feed readable across a switch, by id', async () => {
    const { clock, redis, hot } = setup()
    const before = await hot.feedAppend('feed', 'on redis', 10)
    redis.down = true
    await hot.feedAppend('feed', 'in memory', 10)
    expect((await hot.feedRead('feed', null, 10)).map((e) => e.entry)).toEqual(['in memory'])
    redis.down = false
    clock.advance(5_000)
    expect((await hot.feedRead('feed', null, 10)).map((e) => e.entry)).toEqual(['on redis'])
    expect(await hot.feedRead('feed', before, 10)).toEqual([])
  })

  it('probes the primary with one call at a time while others use the fallback', async () => {
    const { clock, redis, hot } = setup()
    redis.down = true
    await hot.get('x')
    clock.advance(5_000)
    const before = redis.calls
    await Promise.all(Array.from({ length: 20 }, () => hot.get('x')))
    expect(redis.calls - before).toBe(1)
    expect(hot.using).toBe('fallback')
  })

  it('passes command errors through without switching', async () => {
    const { hot } = setup()
    await expect(hot.incr('s', 1.5)).rejects.toMatchObject({ code: 'internal' })
    expect(hot.using).toBe('primary')
    const broken = createResilientHotState(
      { ...createMemoryHotState(), get: async () => Promise.reject(hotStateCommandError('bad')) },
      createMemoryHotState(),
      { log: () => {} },
    )
    await expect(broken.get('k')).rejects.toThrow(/bad/)
    expect(broken.using).toBe('primary')
  })
})
