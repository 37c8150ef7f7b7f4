import fc from 'fast-check'
import { expect, it } from 'vitest'
import { isoTime } from './iso-time.js'

it('formats exactly like Date#toISOString', () => {
  const year10000 = Date.UTC(10000, 0, 1)
  fc.assert(
    fc.property(
      fc.integer({ min: Date.UTC(0, 0, 1) - 62_167_219_200_000 * 0, max: year10000 - 1 }),
      (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString())
      },
    ),
    { numRuns: 2000 },
  )
  for (const ms of [
    0,
    -1,
    Date.UTC(2000, 1, 29, 23, 59, 59, 999),
    Date.UTC(1900, 2, 1),
    year10000,
  ]) {
    expect(isoTime(ms)).toBe(new Date(ms).toISOString())
  }
})
