import { LifecycleError } from './errors.js'

export type Period = 'day' | 'week' | 'month' | 'quarter' | 'year'
export const PERIODS: readonly Period[] = ['day', 'week', 'month', 'quarter', 'year']

const MAX_PERIODS = 2000
const DAY = 86_400_000
const pad = (n: number) => String(n).padStart(2, '0')

/** Start (UTC) of the period containing `t`; weeks start on Monday (ISO 8601). */
export function periodStart(t: number, period: Period): number {
  const d = new Date(t)
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()]
  switch (period) {
    case 'day':
      return Date.UTC(y, m, d.getUTCDate())
    case 'week':
      return Date.UTC(y, m, d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * DAY
    case 'month':
      return Date.UTC(y, m, 1)
    case 'quarter':
      return Date.UTC(y, m - (m % 3), 1)
    case 'year':
      return Date.UTC(y, 0, 1)
  }
}

function nextStart(start: number, period: Period): number {
  const d = new Date(start)
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()]
  if (period === 'day') return start + DAY
  if (period === 'week') return start + 7 * DAY
  if (period === 'month') return Date.UTC(y, m + 1, 1)
  if (period === 'quarter') return Date.UTC(y, m + 3, 1)
  return Date.UTC(y + 1, 0, 1)
}

/**
 * A sortable label: `2025-06-30` (day, and week by its Monday), `2025-06`, `2025-Q2`, `2025`.
 * @example periodLabel(Date.parse('2025-05-14T10:00:00Z'), 'quarter') // '2025-Q2'
 */
export function periodLabel(t: number, period: Period): string {
  const d = new Date(periodStart(t, period))
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth()
  if (period === 'year') return `${y}`
  if (period === 'quarter') return `${y}-Q${Math.floor(m / 3) + 1}`
  if (period === 'month') return `${y}-${pad(m + 1)}`
  return `${y}-${pad(m + 1)}-${pad(d.getUTCDate())}`
}

/** Consecutive period labels from the one containing `from` to the one containing `to`. */
export function periodRange(from: number, to: number, period: Period): string[] {
  if (!PERIODS.includes(period)) {
    throw new LifecycleError('invalid_config', `Unknown period "${period}"`, { allowed: PERIODS })
  }
  const labels: string[] = []
  for (let t = periodStart(from, period); t <= to; t = nextStart(t, period)) {
    labels.push(periodLabel(t, period))
    if (labels.length > MAX_PERIODS) {
      throw new LifecycleError('invalid_config', `At most ${MAX_PERIODS} periods per query`)
    }
  }
  return labels
}
