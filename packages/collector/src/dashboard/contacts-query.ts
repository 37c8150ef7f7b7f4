// The contacts page's query string ↔ the store's query: one definition, used by the page, its
// saved views and the CSV export, so what you see is what you export.
import { CONTACT_SORTS, type ContactSort, type DashboardContactQuery } from '../ports.js'

/** The contacts filters as the page's form holds them (strings, as typed). */
export interface ContactFilters {
  q?: string
  grade?: string
  trait?: string
  value?: string
  topic?: string
  scoreMin?: string
  scoreMax?: string
  ltvMin?: string
  churnMin?: string
  ticketsMin?: string
  /** Seen in the last N days (`7`), or not seen for N days (`-30`). */
  seen?: string
  source?: string
  campaign?: string
  sort?: string
  /** A segment or static list id (docs/segments.md). */
  segment?: string
  /** An account id (docs/accounts.md). */
  account?: string
}

export const FILTER_KEYS = [
  'q',
  'grade',
  'trait',
  'value',
  'topic',
  'scoreMin',
  'scoreMax',
  'ltvMin',
  'churnMin',
  'ticketsMin',
  'seen',
  'source',
  'campaign',
  'sort',
  'segment',
  'account',
] as const satisfies readonly (keyof ContactFilters)[]

/** `sort` values: a key (descending) or the key and `-asc` (ascending). */
export const SORTS: readonly string[] = CONTACT_SORTS.flatMap((k) => [k, `${k}-asc`])
/** Text columns sort A→Z on the first click. */
export const ASC_FIRST: readonly ContactSort[] = ['name', 'email']
export const SEEN = ['1', '7', '30', '90', '-30', '-90'] as const

const DAY_MS = 86_400_000

/** The filters of a query string (each trimmed and bounded). */
export function readFilters(q: Record<string, string | undefined>): ContactFilters {
  const out: ContactFilters = {}
  for (const k of FILTER_KEYS) {
    const v = (q[k] ?? '').trim().slice(0, k === 'q' || k === 'value' ? 200 : 128)
    if (v) out[k] = v
  }
  return out
}

/** A finite number from a form value, or undefined; NaN marks a value that is not a number. */
function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v.replace(/[,\s]/g, ''))
  return Number.isFinite(n) ? n : NaN
}

/** The store query for the filters, or the names of the fields that are not valid. */
export function toStoreQuery(
  f: ContactFilters,
  now: Date,
): { query: Omit<DashboardContactQuery, 'limit'>; invalid: string[] } {
  const invalid: string[] = []
  const number = (k: 'scoreMin' | 'scoreMax' | 'ltvMin' | 'churnMin' | 'ticketsMin') => {
    const n = num(f[k])
    if (Number.isNaN(n)) invalid.push(k)
    return Number.isNaN(n) ? undefined : n
  }
  const score = { min: number('scoreMin'), max: number('scoreMax') }
  const seen = f.seen && (SEEN as readonly string[]).includes(f.seen) ? Number(f.seen) : undefined
  if (f.seen && seen === undefined) invalid.push('seen')
  if (f.sort && !SORTS.includes(f.sort)) invalid.push('sort')
  const sort = (
    f.sort && SORTS.includes(f.sort) ? f.sort.replace(/-asc$/, '') : 'score'
  ) as ContactSort
  const at = (days: number) => new Date(now.getTime() - Math.abs(days) * DAY_MS)
  return {
    invalid,
    query: {
      search: f.q,
      grade: f.grade,
      trait: f.trait ? { name: f.trait, value: f.value ?? '' } : undefined,
      topic: f.topic,
      score: score.min !== undefined || score.max !== undefined ? score : undefined,
      minLifetimeValue: number('ltvMin'),
      minChurnRisk: number('churnMin'),
      minOpenTickets: number('ticketsMin'),
      seenAfter: seen !== undefined && seen > 0 ? at(seen) : undefined,
      seenBefore: seen !== undefined && seen < 0 ? at(seen) : undefined,
      source: f.source,
      campaign: f.campaign,
      sort,
      asc: Boolean(f.sort?.endsWith('-asc')),
      segmentId: f.segment,
      accountId: f.account,
      now,
    },
  }
}

/** A query string from the non-empty values. */
export function queryString(params: Record<string, string | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v)
  const s = q.toString()
  return s ? `?${s}` : ''
}
