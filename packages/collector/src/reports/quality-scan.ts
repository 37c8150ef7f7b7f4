import type { QualityReport } from '@lodestone/lifecycle'

/** What a scan keeps: counts, so the history can be charted and compared. */
export interface QualityMeasures {
  total: number
  complete: number
  missingEmail: number
  missingCompany: number
  invalid: number
  disposable: number
  duplicateContacts: number
  addressIssues: number
}

export const MEASURES = [
  'complete',
  'missingEmail',
  'missingCompany',
  'invalid',
  'disposable',
  'duplicateContacts',
  'addressIssues',
] as const
export type Measure = (typeof MEASURES)[number]

/** Default: a measure "worsens" when its share of contacts moves 5 points the wrong way. */
export const DEFAULT_THRESHOLD_POINTS = 5
export const DEFAULT_EVERY_DAYS = 14

export interface Worsened {
  measure: Measure
  /** Share of all contacts, in per cent, at the previous scan and now. */
  before: number
  after: number
  thresholdPoints: number
}

const ADDRESS_CODES = new Set(['invalid_postcode', 'missing_address_part', 'unknown_region'])

/** Counts of a quality report. */
export function measuresOf(report: QualityReport): QualityMeasures {
  let disposable = 0
  let address = 0
  for (const c of report.invalid) {
    if (c.issues.some((i) => i.code === 'disposable_email')) disposable++
    if (c.issues.some((i) => ADDRESS_CODES.has(i.code) || i.path.startsWith('address.'))) address++
  }
  return {
    total: report.total,
    complete: report.complete,
    missingEmail: report.missingEmail.length,
    missingCompany: report.missingCompany.length,
    invalid: report.invalid.length,
    disposable,
    duplicateContacts: report.duplicates.reduce((n, g) => n + g.contactIds.length, 0),
    addressIssues: address,
  }
}

/** A measure as a share of all contacts, in per cent with one decimal. */
export function share(m: QualityMeasures, measure: Measure): number {
  return m.total === 0 ? 0 : Math.round((m[measure] / m.total) * 1000) / 10
}

/**
 * The measures that got worse than `thresholds` allow since the previous scan: a share that
 * rose by more than the threshold (in percentage points), or for `complete` fell by more.
 * @example worsened(prev, cur, { missingEmail: 2 }) // [{ measure: 'missingEmail', before: 10, after: 20, … }]
 */
export function worsenedMeasures(
  before: QualityMeasures | null,
  after: QualityMeasures,
  thresholds: Partial<Record<Measure, number>> = {},
): Worsened[] {
  if (!before || before.total === 0) return []
  const out: Worsened[] = []
  for (const m of MEASURES) {
    const limit = thresholds[m] ?? DEFAULT_THRESHOLD_POINTS
    const [b, a] = [share(before, m), share(after, m)]
    const worse = m === 'complete' ? b - a : a - b
    if (worse > limit) out.push({ measure: m, before: b, after: a, thresholdPoints: limit })
  }
  return out
}

/** A schedule's settings as stored and as the API shows them. */
export interface QualitySchedule {
  everyDays: number
  enabled: boolean
  thresholds: Partial<Record<Measure, number>>
  nextRunAt: string | null
}

/** Validates a partial schedule update; returns the problems (empty when fine). */
export function scheduleProblems(input: Record<string, unknown>): string[] {
  const problems: string[] = []
  for (const k of Object.keys(input))
    if (!['everyDays', 'enabled', 'thresholds'].includes(k)) problems.push(`Unknown setting "${k}"`)
  const e = input.everyDays
  if (e !== undefined && !(Number.isInteger(e) && (e as number) >= 1 && (e as number) <= 366))
    problems.push('everyDays must be a whole number from 1 to 366')
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean')
    problems.push('enabled must be true or false')
  const t = input.thresholds
  if (t !== undefined) {
    if (!t || typeof t !== 'object' || Array.isArray(t))
      problems.push('thresholds must be an object')
    else
      for (const [k, v] of Object.entries(t)) {
        if (!(MEASURES as readonly string[]).includes(k))
          problems.push(`Unknown measure "${k}" (allowed: ${MEASURES.join(', ')})`)
        else if (typeof v !== 'number' || !(v >= 0 && v <= 100))
          problems.push(`thresholds.${k} must be a number of percentage points from 0 to 100`)
      }
  }
  return problems
}
