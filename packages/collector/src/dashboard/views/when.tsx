/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// One date in a table or list: short and on one line (`Dec 7, 04:30`, `2025年11月18日`), the
// full date, time and zone in its title, the exact instant in `datetime` (views/intl.ts).
import type { Fmt } from './intl.js'

/** The value as `datetime=` wants it: a string as stored, else ISO UTC; null when not a date. */
function instant(at: unknown): string | null {
  if (typeof at !== 'string' && typeof at !== 'number' && !(at instanceof Date)) return null
  const d = new Date(at)
  if (Number.isNaN(d.getTime())) return null
  return typeof at === 'string' ? at : d.toISOString()
}

/** `<time>` for a table cell or list line; nothing when the value is not a date. */
export function When(props: { f: Fmt; at: unknown; now?: Date }) {
  const iso = instant(props.at)
  if (!iso) return null
  return (
    <time datetime={iso} title={props.f.full(iso)}>
      {props.f.short(iso, props.now)}
    </time>
  )
}
