import { z } from 'zod'

/** One imported ad-cost line: a campaign's spend, impressions and clicks on one UTC day. */
export interface AdCost {
  campaign: string
  day: string
  cost: number
  currency: string | null
  impressions: number
  clicks: number
}

export const MAX_COST_ROWS = 10_000

const DAY = /^\d{4}-\d{2}-\d{2}$/
const realDay = (v: string) =>
  DAY.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v

const count = z.coerce.number().int().min(0).max(1e12).default(0)
export const adCostSchema = z.object({
  campaign: z.string().trim().min(1).max(200),
  day: z.string().trim().refine(realDay, 'Must be a YYYY-MM-DD date'),
  cost: z.coerce.number().min(0).max(1e12),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, 'Must be an ISO 4217 code')
    .transform((v) => v.toUpperCase())
    .nullish()
    .transform((v) => v ?? null),
  impressions: count,
  clicks: count,
})

export interface CostIssue {
  row: number
  path: (string | number)[]
  message: string
}

/**
 * Checks imported cost lines; `date` is accepted for `day`. Returns the lines or every issue
 * (row numbers from 1, the CSV header not counted).
 */
export function parseCosts(
  rows: readonly unknown[],
): { ok: true; costs: AdCost[] } | { ok: false; issues: CostIssue[] } {
  const costs: AdCost[] = []
  const issues: CostIssue[] = []
  if (rows.length > MAX_COST_ROWS)
    return {
      ok: false,
      issues: [{ row: 0, path: [], message: `At most ${MAX_COST_ROWS} lines per import` }],
    }
  rows.forEach((raw, i) => {
    const r = raw && typeof raw === 'object' ? { ...(raw as Record<string, unknown>) } : raw
    if (r && typeof r === 'object' && !('day' in r) && 'date' in r)
      (r as Record<string, unknown>).day = (r as Record<string, unknown>).date
    // An empty CSV cell means "not given".
    if (r && typeof r === 'object')
      for (const [k, v] of Object.entries(r)) if (v === '') delete (r as Record<string, unknown>)[k]
    const parsed = adCostSchema.safeParse(r)
    if (parsed.success) costs.push(parsed.data)
    else
      for (const issue of parsed.error.issues)
        issues.push({ row: i + 1, path: issue.path as (string | number)[], message: issue.message })
  })
  if (issues.length) return { ok: false, issues: issues.slice(0, 100) }
  // The same campaign and day twice in one import: the later line wins, as a re-import would.
  const byKey = new Map<string, AdCost>()
  for (const c of costs) byKey.set(`${c.campaign}\u001f${c.day}`, c)
  return { ok: true, costs: [...byKey.values()] }
}

/**
 * Parses CSV (RFC 4180: quoted cells, doubled quotes, CRLF or LF) into objects keyed by the
 * header line's names, lower-cased and trimmed. One pass over the text.
 * @example parseCsv('campaign,day,cost\nspring,2025-03-01,12.5') // [{ campaign: 'spring', … }]
 */
export function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"' && field === '') quoted = true
    else if (ch === ',') {
      record.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      record.push(field)
      if (record.some((f) => f !== '')) records.push(record)
      record = []
      field = ''
    } else field += ch
  }
  record.push(field)
  if (record.some((f) => f !== '')) records.push(record)
  const [header, ...body] = records
  if (!header) return []
  const names = header.map((h) =>
    h
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  )
  return body.map((cells) => {
    const out: Record<string, string> = Object.create(null)
    names.forEach((n, i) => {
      if (n) out[n] = (cells[i] ?? '').trim()
    })
    return out
  })
}
