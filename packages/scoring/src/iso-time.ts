// `Date#toISOString` costs microseconds on some runtimes, and the engine formats a time for
// every award and breakdown line, so it formats UTC by arithmetic (Hinnant's civil-from-days).

const DAY_MS = 86_400_000

/** Epoch ms → `YYYY-MM-DDTHH:mm:ss.sssZ`, identical to `new Date(ms).toISOString()` for years 0–9999. */
export function isoTime(ms: number): string {
  const days = Math.floor(ms / DAY_MS)
  if (days < -719_468 || days > 2_932_896) return new Date(ms).toISOString()
  const msOfDay = ms - days * DAY_MS
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  const h = Math.floor(msOfDay / 3_600_000)
  const m = Math.floor(msOfDay / 60_000) % 60
  const s = Math.floor(msOfDay / 1000) % 60
  const milli = msOfDay % 1000
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(milli, 3)}Z`
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}
