import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { estimateFromSample } from './estimate.js'

// The preview's estimate past its sample size (docs/segments.md, Dashboard): the range holds
// the true count about 95 % of the time, stays within what the sample proves, and is exact
// when the sample is everyone.

/** A small seeded generator (mulberry32), so the trials are the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('estimateFromSample', () => {
  it('is exact with the whole population, and says nothing from an empty sample', () => {
    expect(estimateFromSample(42, 100, 100)).toEqual({ count: 42, low: 42, high: 42 })
    expect(estimateFromSample(0, 0, 500)).toEqual({ count: 0, low: 0, high: 500 })
  })

  it('holds the true count in about 95 % of random samples', () => {
    const next = random(7)
    for (const [population, sample, share] of [
      [100_000, 20_000, 0.3],
      [50_000, 20_000, 0.02],
      [1_000_000, 20_000, 0.001],
      [30_000, 20_000, 0.5],
    ] as const) {
      // a population with a fixed number of members, sampled without replacement
      const members = Math.round(population * share)
      let covered = 0
      const trials = 200
      for (let t = 0; t < trials; t++) {
        let hits = 0
        let left = population
        let membersLeft = members
        for (let i = 0; i < sample; i++, left--) {
          if (next() < membersLeft / left) {
            hits++
            membersLeft--
          }
        }
        const e = estimateFromSample(hits, sample, population)
        if (e.low <= members && members <= e.high) covered++
      }
      expect(covered / trials, `${population} / ${sample} / ${share}`).toBeGreaterThan(0.9)
    }
  })

  it('keeps the count inside the range, and the range inside what the sample proves', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (population, sampleMax, share) => {
          const sample = Math.min(sampleMax, population)
          const hits = Math.round(sample * share)
          const e = estimateFromSample(hits, sample, population)
          expect(e.low).toBeLessThanOrEqual(e.count)
          expect(e.count).toBeLessThanOrEqual(e.high)
          expect(e.low).toBeGreaterThanOrEqual(hits)
          expect(e.high).toBeLessThanOrEqual(population - (sample - hits))
        },
      ),
    )
  })
})
