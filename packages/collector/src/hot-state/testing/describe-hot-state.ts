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
    it('gets what was set, and null for a missing key', async () => {
      const { hot, k } = await setup()
      expect(await hot.get(k('missing'))).toBeNull()
      await hot.set(k('a'), 'alpha')
      expect(await hot.get(k('a'))).toBe('alpha')
      await hot.set(k('a'), 'beta')
      expect(await hot.get(k('a'))).toBe('beta')
    })

    it('returns strings byte for byte, even when they look like JSON or numbers', async () => {
      const { hot, k } = await setup()
      const values = ['123', '{"a":1}', 'true', 'null', '', ' padded ', 'é漢字🙂', 'OK', 'PONG']
      for (const [i, v] of values.entries()) await hot.set(k(`v${i}`), v)
      const got = await hot.mget(values.map((_, i) => k(`v${i}`)))
      expect(got).toEqual(values)
    })

    it('mget answers in key order with null for missing keys, and [] for no keys', async () => {
      const { hot, k } = await setup()
      await hot.set(k('x'), '1')
      await hot.set(k('z'), '3')
      expect(await hot.mget([k('x'), k('y'), k('z')])).toEqual(['1', null, '3'])
      expect(await hot.mget([])).toEqual([])
    })

    it('expires keys after their TTL, and set without TTL clears an earlier one', async () => {
      const { hot, k, advance } = await setup()
      await hot.set(k('short'), 's', 1)
      await hot.set(k('kept'), 'k', 1)
      await hot.set(k('kept'), 'k2')
      await hot.set(k('long'), 'l', 60)
      await advance(1_500)
      expect(await hot.mget([k('short'), k('kept'), k('long')])).toEqual([null, 'k2', 'l'])
    })

    it('deletes keys', async () => {
      const { hot, k } = await setup()
      await hot.set(k('d'), 'x')
      await hot.del(k('d'))
      await hot.del(k('never-set'))
      expect(await hot.get(k('d'))).toBeNull()
    })

    it('increments counters by 1 or by a given amount, readable with get', async () => {
      const { hot, k } = await setup()
      expect(await hot.incr(k('c'))).toBe(1)
      expect(await hot.incr(k('c'), 41)).toBe(42)
      expect(await hot.incr(k('c'), -2)).toBe(40)
      expect(await hot.get(k('c'))).toBe('40')
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

    it('rejects incrementing a value that is not an integer', async () => {
      const { hot, k } = await setup()
      await hot.set(k('s'), 'not a number')
      await expect(hot.incr(k('s'))).rejects.toThrow(/integer/i)
      expect(await hot.get(k('s'))).toBe('not a number')
    })

    it('setIfAbsent sets once, then again after expiry', async () => {
      const { hot, k, advance } = await setup()
      expect(await hot.setIfAbsent(k('once'), 'first', 1)).toBe(true)
      expect(await hot.setIfAbsent(k('once'), 'second', 1)).toBe(false)
      expect(await hot.get(k('once'))).toBe('first')
      await advance(1_500)
      expect(await hot.setIfAbsent(k('once'), 'third', 1)).toBe(true)
      expect(await hot.get(k('once'))).toBe('third')
    })

    it('lets exactly one of many concurrent setIfAbsent calls win', async () => {
      const { hot, k } = await setup()
      const wins = await Promise.all(
        Array.from({ length: 20 }, (_, i) => hot.setIfAbsent(k('race'), `p${i}`, 30)),
      )
      expect(wins.filter(Boolean)).toHaveLength(1)
    })

    it('expire sets a TTL on an existing key and reports a missing one', async () => {
      const { hot, k, advance } = await setup()
      expect(await hot.expire(k('nothing'), 5)).toBe(false)
      await hot.set(k('e'), 'v')
      expect(await hot.expire(k('e'), 1)).toBe(true)
      await advance(1_500)
      expect(await hot.get(k('e'))).toBeNull()
    })

    it('rejects TTLs that are not positive integers', async () => {
      const { hot, k } = await setup()
      for (const ttl of [0, -1, 1.5, Number.NaN]) {
        await expect(hot.set(k('t'), 'v', ttl)).rejects.toThrow(/ttl/i)
        await expect(hot.setIfAbsent(k('t'), 'v', ttl)).rejects.toThrow(/ttl/i)
      }
      expect(await hot.get(k('t'))).toBeNull()
    })

    describeHotStateFeed(setup)
  })
}
