// Small, pure formatting helpers shared by the pages.
import { CATALOG } from '../i18n/catalog.js'
import type { Fmt } from './intl.js'

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null)

/** A readable name for a contact: name, first + last name, email, or a short id. */
export function contactLabel(traits: Record<string, unknown>, id: string, f?: Fmt): string {
  const full = [str(traits.firstName), str(traits.lastName)].filter(Boolean).join(' ')
  const anonymous = f
    ? f.t('contact.anonymous', { id: id.slice(0, 8) })
    : `Anonymous ${id.slice(0, 8)}`
  return str(traits.name) ?? (full || null) ?? str(traits.email) ?? anonymous
}

/**
 * A readable name for a trait or property key: the catalog's (`label.lifetimeValue`) when
 * there is one, else the key's words (`jobTitle` → `Job title`, `utm_source` → `Utm source`).
 */
export function humanLabel(key: string, f: Fmt): string {
  const known = CATALOG[f.locale][`label.${key}`]
  if (known) return known
  const words = key
    .replace(/[_.-]+/g, ' ')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase()
  return words ? words[0]!.toUpperCase() + words.slice(1) : key
}

export function traitText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v
  return JSON.stringify(v)
}

/** Points with at most one decimal and a sign when asked. */
export function points(n: unknown, signed = false): string {
  const v = typeof n === 'number' && Number.isFinite(n) ? Math.round(n * 10) / 10 : 0
  return signed && v > 0 ? `+${v}` : String(v)
}

/** A query string from the non-empty values. */
export function query(params: Record<string, string | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v)
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** `traits.company` as Segment allows it: a string or an object with a name. */
export function companyName(traits: Record<string, unknown>): string {
  const c = traits.company
  if (typeof c === 'string') return c
  if (c && typeof c === 'object') return traitText((c as { name?: unknown }).name)
  return ''
}
