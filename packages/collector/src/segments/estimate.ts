/** A count estimated from a sample, with its likely range. */
export interface SampleEstimate {
  /** The sample's share scaled to the population, rounded. */
  count: number
  /** 95 % interval for the population count, within what the sample already proves. */
  low: number
  high: number
}

/**
 * Estimates how many of `population` items pass from `hits` of a simple random `sample` drawn
 * without replacement (the preview's first contacts by random id, docs/segments.md): the
 * scaled share, and a 95 % Wilson score interval narrowed by the finite-population correction
 * (a sample that is most of the population leaves little doubt). The range never goes below
 * the hits seen nor above the population less the misses seen. A full sample is exact.
 *
 * @example
 * estimateFromSample(6_000, 20_000, 100_000) // { count: 30000, low: 29435, high: 30572 }
 */
export function estimateFromSample(
  hits: number,
  sample: number,
  population: number,
): SampleEstimate {
  if (sample <= 0) return { count: 0, low: 0, high: population }
  if (sample >= population) return { count: hits, low: hits, high: hits }
  const z = 1.96
  const p = hits / sample
  const z2n = (z * z) / sample
  const center = (p + z2n / 2) / (1 + z2n)
  const half = (z * Math.sqrt((p * (1 - p)) / sample + z2n / (4 * sample))) / (1 + z2n)
  const fpc = Math.sqrt((population - sample) / (population - 1))
  const count = Math.round((hits * population) / sample)
  const floor = hits
  const ceiling = population - (sample - hits)
  const low = Math.max(floor, Math.min(count, Math.floor((center - half * fpc) * population)))
  const high = Math.min(ceiling, Math.max(count, Math.ceil((center + half * fpc) * population)))
  return { count, low, high }
}
