// Numbers, money and dates for one reader: their language and the workspace's time zone, all
// through Intl. Formatters are built once per (locale, time zone) and reused across requests.
import { t, type Locale } from '../i18n/index.js'

export interface Fmt {
  locale: Locale
  timeZone: string
  /** The string for a message key in the reader's language. */
  t: (key: string, params?: Record<string, string | number>) => string
  /** A number with grouping (`40,000,000`, `4,000万` is not used: Intl's own grouping). */
  num: (n: unknown, maxFractionDigits?: number) => string
  /** An amount in a currency (`$1,234.50`, `US$1,234.50`); a plain number without one. */
  money: (n: unknown, currency?: unknown) => string
  /** `money` for table cells: whole units from 1,000 up (`CN¥120,000,000`), cents below. */
  moneyShort: (n: unknown, currency?: unknown) => string
  /** Date and time in the workspace's zone (`Dec 2, 2026, 12:40`). */
  dateTime: (iso: unknown) => string
  /** The day only, in the workspace's zone. */
  date: (iso: unknown) => string
  /**
   * A table cell's date, one short line in the workspace's zone: `Dec 7, 04:30` / `12月7日 04:30`
   * within the current year (of `now`), `Nov 18, 2025` / `2025年11月18日` otherwise; '' when the
   * value is not a date. Shown with `full` as its title (views/when.tsx).
   */
  short: (iso: unknown, now?: Date) => string
  /** Date, time and time zone (`Dec 7, 2026, 04:30 UTC`), for titles; '' when not a date. */
  full: (iso: unknown) => string
  /** A share 0–1 as a percentage. */
  percent: (share: number) => string
}

const cache = new Map<string, Fmt>()

const asDate = (v: unknown): Date | null => {
  if (typeof v !== 'string' && !(v instanceof Date) && typeof v !== 'number') return null
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? null : d
}

/** A time zone Intl knows; UTC otherwise. */
export function validTimeZone(tz: string | null | undefined): string | null {
  if (!tz || tz.length > 64) return null
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return tz
  } catch {
    return null
  }
}

/** The formatter set for a reader. */
export function fmtFor(locale: Locale, timeZone: string): Fmt {
  const key = `${locale}|${timeZone}`
  const hit = cache.get(key)
  if (hit) return hit
  const tz = validTimeZone(timeZone) ?? 'UTC'
  const dt = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: tz,
    hourCycle: 'h23',
  })
  const d = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: tz })
  // A table cell's date: the year only when it is not the current one (views/when.tsx).
  const year = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: tz })
  const thisYear = new Intl.DateTimeFormat(locale, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: tz,
  })
  const otherYear = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: tz,
  })
  const full = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
    timeZone: tz,
  })
  const nums = new Map<number, Intl.NumberFormat>()
  const numberFormat = (digits: number) => {
    let f = nums.get(digits)
    if (!f) nums.set(digits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits })))
    return f
  }
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })
  // Currency formatters by code and precision ('CNY|2': full, 'CNY|0': whole units).
  const currencies = new Map<string, Intl.NumberFormat>()
  const currencyFormat = (code: string, whole: boolean) => {
    const k = `${code}|${whole ? 0 : 2}`
    let f = currencies.get(k)
    if (!f) {
      f = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: code,
        ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
      })
      if (currencies.size > 50) currencies.clear()
      currencies.set(k, f)
    }
    return f
  }
  const money = (n: unknown, currency: unknown, whole: boolean) => {
    // As num: a trait is any JSON, and Number({"toString": 1}) throws.
    const v = typeof n === 'number' ? n : typeof n === 'string' && n.trim() ? Number(n) : NaN
    if (!Number.isFinite(v)) return ''
    const cut = whole && Math.abs(v) >= 1000
    const code = typeof currency === 'string' && /^[A-Za-z]{3}$/.test(currency) ? currency : null
    if (!code) return numberFormat(cut ? 0 : 2).format(v)
    try {
      return currencyFormat(code.toUpperCase(), cut).format(v)
    } catch {
      return `${numberFormat(cut ? 0 : 2).format(v)} ${code}`
    }
  }
  const fmt: Fmt = {
    locale,
    timeZone: tz,
    t: (k, params) => t(locale, k, params),
    num: (n, digits = 1) => {
      const v = typeof n === 'number' ? n : typeof n === 'string' && n.trim() ? Number(n) : NaN
      return Number.isFinite(v) ? numberFormat(digits).format(v) : ''
    },
    money: (n, currency) => money(n, currency, false),
    moneyShort: (n, currency) => money(n, currency, true),
    dateTime: (iso) => {
      const v = asDate(iso)
      return v ? dt.format(v) : ''
    },
    date: (iso) => {
      const v = asDate(iso)
      return v ? d.format(v) : ''
    },
    short: (iso, now = new Date()) => {
      const v = asDate(iso)
      if (!v) return ''
      const same = year.format(v) === year.format(Number.isNaN(now.getTime()) ? new Date() : now)
      return (same ? thisYear : otherYear).format(v)
    },
    full: (iso) => {
      const v = asDate(iso)
      return v ? full.format(v) : ''
    },
    percent: (share) => (Number.isFinite(share) ? pct.format(share) : ''),
  }
  if (cache.size > 200) cache.clear()
  cache.set(key, fmt)
  return fmt
}

/** Every IANA time zone this runtime knows, for the Settings page. */
export function timeZones(): string[] {
  const all = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.(
    'timeZone',
  )
  return all && all.length ? (all.includes('UTC') ? all : ['UTC', ...all]) : ['UTC']
}
