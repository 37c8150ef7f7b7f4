import { describe, expect, it } from 'vitest'
import type { HotState } from '../../ports.js'
import { describeHotStateFeed } from './describe-hot-state-feed.js'

/** What a contract test needs from an implementation under test. */
export interface HotStateUnderTest {
  hot: HotState
  /** Moves this implementation's notion of time forward (a fake clock, or shortened TTLs). */
  advance(ms: number): Promise<void>
}

/** Builds a fresh implementation whose keys all start with `prefix`, so tests never collide. */
export type HotStateFactory = (prefix: string) => HotStateUnderTest | Promise<HotStateUnderTest>

let counter = 0
export const uniquePrefix = (name: string) =>
  `t:${name}:${Date.now().toString(36)}:${(counter++).toString(36)}:`

/**
 * The behaviour every HotState must share, run once per implementation (memory, Upstash→Redis).
 *
 * @example
 * describeHotState('memory', () => {
 *   const clock = createFakeClock()
 *   return { hot: createMemoryHotState({ clock }), advance: async (ms) => clock.advance(ms) }
 * })
 */
export function describeHotState(name: string, factory: HotStateFactory) {
  const setup = async () => {
    const prefix = uniquePrefix(name)
    return { ...(await factory(prefix)), k: (key: string) => prefix + key }
  }

  describe(`HotState contract: ${name}`, () => {
    it('reads a missing counter as null and an incremented one as its decimal value', async () => {
      const { hot, k } = await setup()
      expect(await hot.get(k('missing'))).toBeNull()
      expect(await hot.incr(k('a'))).toBe(1)
      expect(await hot.get(k('a'))).toBe('1')
    })

    it('increments counters by 1 or by a given amount, readable with get', async () => {
      const { hot, k } = await setup()
      expect(await hot.incr(k('c'))).toBe(1)
      expect(await hot.incr(k('c'), 41)).toBe(42)
      expect(await hot.incr(k('c'), -2)).toBe(40)
      expect(await hot.incr(k('neg'), -7)).toBe(-7)
      expect(await hot.get(k('c'))).toBe('40')
      expect(await hot.get(k('neg'))).toBe('-7')
    })

    it('gives a new counter its TTL once and never extends it', async () => {
      const { hot, k, advance } = await setup()
      await hot.incr(k('w'), 5, 2)
      await advance(1_200)
      expect(await hot.incr(k('w'), 1, 2)).toBe(6)
      await advance(1_200)
      expect(await hot.get(k('w'))).toBeNull()
      expect(await hot.incr(k('w'), 1, 2)).toBe(1)
    })

    it('keeps a counter made without a TTL until an increment gives it one', async () => {
      const { hot, k, advance } = await setup()
      await hot.incr(k('kept'), 3)
      await advance(1_500)
      expect(await hot.incr(k('kept'), 1, 1)).toBe(4)
      await advance(1_500)
      expect(await hot.get(k('kept'))).toBeNull()
    })

    it('rejects TTLs and increments that are not integers', async () => {
      const { hot, k } = await setup()
      for (const ttl of [0, -1, 1.5, Number.NaN]) {
        await expect(hot.incr(k('t'), 1, ttl)).rejects.toThrow(/ttl/i)
      }
      await expect(hot.incr(k('t'), 1.5)).rejects.toThrow(/integer/i)
      expect(await hot.get(k('t'))).toBeNull()
    })

    describeHotStateFeed(setup)
  })
}
