import { describe, expect, it } from 'vitest'
import { createMemoryHotState } from '../adapters/memory/hot-state.js'
import { hotStateCommandError } from './errors.js'
import { createResilientHotState } from './resilient.js'
import { createFakeClock } from './testing/fake-clock.js'
import { createFlakyHotState } from './testing/flaky-hot-state.js'

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
    await hot.set('k', 'v')
    expect(await redis.get('k')).toBe('v')
    expect(await local.get('k')).toBeNull()
    expect(hot.using).toBe('primary')
  })

  it('keeps answering from the fallback when the primary goes down, logging once', async () => {
    const { redis, local, hot, logs } = setup()
    redis.down = true
    await hot.set('k', 'v')
    expect(await hot.incr('n', 3, 60)).toBe(3)
    expect(await hot.get('k')).toBe('v')
    expect(await hot.feedAppend('feed', 'e', 10)).toMatch(/^\d+-\d+$/)
    expect(await local.get('k')).toBe('v')
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

  it('invalidates on the primary what was written during the outage', async () => {
    const { clock, redis, hot } = setup()
    await hot.set('identity:anon-1', 'contact-A')
    await hot.set('untouched', 'same')
    redis.down = true
    await hot.set('identity:anon-1', 'contact-B')
    await hot.del('untouched-too')
    redis.down = false
    clock.advance(5_000)
    // Redis still held contact-A: serving it after recovery would undo the outage's change.
    expect(await hot.get('identity:anon-1')).toBeNull()
    expect(await hot.get('untouched')).toBe('same')
    expect(hot.using).toBe('primary')
  })

  it('does not serve writes from an earlier outage in a later one', async () => {
    const { clock, redis, hot } = setup()
    redis.down = true
    await hot.set('identity:anon-1', 'contact-B')
    redis.down = false
    clock.advance(5_000)
    await hot.set('identity:anon-1', 'contact-C')
    redis.down = true
    expect(await hot.get('identity:anon-1')).toBeNull()
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
    await hot.set('s', 'text')
    await expect(hot.incr('s')).rejects.toMatchObject({ code: 'internal' })
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
