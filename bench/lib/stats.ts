/** Nearest-rank percentile of a list of numbers (p in 0–100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export const round1 = (n: number) => Math.round(n * 10) / 10

/** The median (the mean of the two middle values for an even count). */
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** How much `b` is above `a`, in per cent to one decimal. */
export const pct = (b: number, a: number) => Math.round((b / a - 1) * 1000) / 10
