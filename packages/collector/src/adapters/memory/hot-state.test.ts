import { describe, expect, it } from 'vitest'
import { describeHotState } from '../../test-support/hot-state/describe-hot-state.js'
import { createFakeClock } from '../../test-support/hot-state/fake-clock.js'
import { createMemoryHotState } from './hot-state.js'

describeHotState('memory', () => {
  const clock = createFakeClock()
  return { hot: createMemoryHotState({ clock }), advance: async (ms) => clock.advance(ms) }
})

describe('createMemoryHotState bounds', () => {
  it('evicts the least recently used key beyond maxKeys', async () => {
    const hot = createMemoryHotState({ maxKeys: 3 })
    await hot.incr('a', 1)
    await hot.incr('b', 2)
    await hot.incr('c', 3)
    await hot.get('a') // a is now the most recently used
    await hot.incr('d', 4)
    const values = await Promise.all(['a', 'b', 'c', 'd'].map((k) => hot.get(k)))
    expect(values).toEqual(['1', null, '3', '4'])
  })

  it('stays within maxKeys under a flood of distinct keys', async () => {
    const hot = createMemoryHotState({ maxKeys: 100 })
    for (let i = 0; i < 10_000; i++) await hot.incr(`k${i}`, 1, 60)
    const present = await Promise.all(Array.from({ length: 10_000 }, (_, i) => hot.get(`k${i}`)))
    expect(present.filter((v) => v !== null)).toHaveLength(100)
    expect(present.slice(-100).every((v) => v === '1')).toBe(true)
  })

  it('trims feeds exactly to maxLen and never beyond maxFeedLength', async () => {
    const hot = createMemoryHotState({ maxFeedLength: 50 })
    for (let i = 0; i < 80; i++) await hot.feedAppend('small', `e${i}`, 7)
    for (let i = 0; i < 80; i++) await hot.feedAppend('big', `e${i}`, 1_000)
    expect(await hot.feedRead('small', '0', 100)).toHaveLength(7)
    const big = await hot.feedRead('big', '0', 100)
    expect(big).toHaveLength(50)
    expect(big[0]!.entry).toBe('e30')
  })

  it('evicts the least recently used feed beyond maxFeeds', async () => {
    const hot = createMemoryHotState({ maxFeeds: 2 })
    await hot.feedAppend('one', 'x', 10)
    await hot.feedAppend('two', 'y', 10)
    await hot.feedAppend('three', 'z', 10)
    expect(await hot.feedRead('one', null, 10)).toEqual([])
    expect(await hot.feedRead('three', null, 10)).toHaveLength(1)
  })

  it('keeps feed ids increasing when the clock goes backwards', async () => {
    const clock = createFakeClock()
    const hot = createMemoryHotState({ clock })
    const first = await hot.feedAppend('f', 'a', 10)
    clock.advance(-60_000)
    const second = await hot.feedAppend('f', 'b', 10)
    const [ms1, seq1] = first.split('-').map(Number)
    const [ms2, seq2] = second.split('-').map(Number)
    expect(ms2).toBe(ms1)
    expect(seq2).toBe(seq1! + 1)
  })

  it('forgets everything on close', async () => {
    const hot = createMemoryHotState()
    await hot.incr('a', 1)
    await hot.close?.()
    expect(await hot.get('a')).toBeNull()
  })
})
