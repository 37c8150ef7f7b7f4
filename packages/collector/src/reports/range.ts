const DATE = /^\d{4}-\d{2}-\d{2}$/
const DAY = 86_400_000

/**
 * A report's time range from `from`/`to` parameters: a `YYYY-MM-DD` day (from its start, to its
 * end, UTC) or an ISO time; without them the `defaultDays` up to now. An error text when bad.
 * @example reportRange({ from: '2025-01-01', to: '2025-01-31' }, now, 90).to // 2025-01-31T23:59:59.999Z
 */
export function reportRange(
  q: { from?: string; to?: string },
  now: Date,
  defaultDays: number,
): { from: Date; to: Date } | { error: string } {
  const parse = (v: string, end: boolean): Date | null => {
    if (DATE.test(v)) {
      const d = new Date(`${v}T${end ? '23:59:59.999' : '00:00:00.000'}Z`)
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v ? d : null
    }
    if (!/^\d{4}-\d{2}-\d{2}T/.test(v)) return null
    const d = new Date(v)
    return Number.isNaN(d.getTime()) ? null : d
  }
  const to = q.to ? parse(q.to, true) : now
  const from = q.from
    ? parse(q.from, false)
    : to
      ? new Date(
          Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()) -
            (defaultDays - 1) * DAY,
        )
      : null
  if (!from || !to) return { error: 'from and to must be dates (YYYY-MM-DD) or ISO times' }
  if (from > to) return { error: 'from must not be after to' }
  return { from, to }
}
