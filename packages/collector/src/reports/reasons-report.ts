import { periodLabel, periodRange, type Period } from '@lodestone/lifecycle'
import { reasonKey, type ReasonKind, type ReasonLists } from '@lodestone/lifecycle'
import { reasonKindsFor } from '@lodestone/lifecycle'
import { csvRow } from '@lodestone/lifecycle'
import { cents, toReporting, type MoneySettings } from './money.js'

/** A stored lifecycle event as the reasons report reads it. */
export interface ReasonEvent {
  contactId: string | null
  event: string
  timestamp: Date
  properties: Record<string, unknown> | null
}

export type SurveyKind = 'nps' | 'csat' | 'ces'

export interface ReasonCell {
  period: string
  count: number
  /** Deals: the sum of amounts in the reporting currency; surveys: null. */
  amount: number | null
  /** Change from the previous period (null for the first period). */
  countChange: number | null
  /** Change in per cent of the previous period; null when the previous period had none. */
  countChangePct: number | null
}

export interface ReasonRow {
  category: ReasonKind
  reason: string
  /** The survey kind for churn and satisfied reasons; null for deals. */
  surveyKind: SurveyKind | null
  total: { count: number; amount: number | null }
  periods: ReasonCell[]
}

export interface ReasonsReport {
  from: string
  to: string
  period: Period
  periods: string[]
  currency: string | null
  rows: ReasonRow[]
  /** Deals whose amount could not be converted (no exchange rate): counted, not summed. */
  unconverted: number
}

const KINDS: readonly string[] = ['nps', 'csat', 'ces']

/** Which category a survey's reason counts under: by score, and for neutral scores by list. */
function surveyCategory(lists: ReasonLists, props: Record<string, unknown>): ReasonKind | null {
  const kinds = reasonKindsFor('Survey Responded', props)
  if (kinds.length === 1) return kinds[0]!
  const key = reasonKey(String(props.reason))
  if (lists.satisfied.some((l) => reasonKey(l) === key)) return 'satisfied'
  if (lists.churn.some((l) => reasonKey(l) === key)) return 'churn'
  return null
}

/**
 * Counts and amounts by reason for won and lost deals and for churn and satisfaction survey
 * answers (with the survey kind), per period, with the change from the period before.
 * A deal counts once, by its latest event in the range (lost then won counts as won, as for
 * the computed traits); every survey answer counts. Events without a reason are left out.
 * @example
 * reasonsReport(events, lists, { from, to, period: 'month' }, { currency: 'EUR' }).rows[0]
 * // { category: 'lost', reason: 'Price', surveyKind: null, total: { count: 3, amount: 4500 }, … }
 */
export function reasonsReport(
  events: readonly ReasonEvent[],
  lists: ReasonLists,
  range: { from: Date; to: Date; period: Period },
  money: MoneySettings,
): ReasonsReport {
  const labels = periodRange(range.from.getTime(), range.to.getTime(), range.period)
  const index = new Map(labels.map((l, i) => [l, i]))
  const rows = new Map<string, ReasonRow>()
  let unconverted = 0
  const add = (
    category: ReasonKind,
    reason: string,
    surveyKind: SurveyKind | null,
    at: Date,
    amount: number | null,
  ) => {
    const key = `${category}\u001f${reason}\u001f${surveyKind ?? ''}`
    let row = rows.get(key)
    if (!row) {
      row = {
        category,
        reason,
        surveyKind,
        total: { count: 0, amount: surveyKind ? null : 0 },
        periods: labels.map((period) => ({
          period,
          count: 0,
          amount: surveyKind ? null : 0,
          countChange: null,
          countChangePct: null,
        })),
      }
      rows.set(key, row)
    }
    const cell = row.periods[index.get(periodLabel(at.getTime(), range.period)) ?? -1]
    if (!cell) return
    cell.count++
    row.total.count++
    if (amount !== null && cell.amount !== null && row.total.amount !== null) {
      cell.amount += amount
      row.total.amount += amount
    }
  }

  // Deals: the latest event per deal id decides won or lost.
  const deals = new Map<string, ReasonEvent>()
  const inRange = (e: ReasonEvent) => e.timestamp >= range.from && e.timestamp <= range.to
  for (const e of events) {
    if (!inRange(e) || !e.properties) continue
    const p = e.properties
    if (e.event === 'Deal Won' || e.event === 'Deal Lost') {
      const id = `${e.contactId ?? ''}\u001f${String(p.dealId)}`
      const prev = deals.get(id)
      if (!prev || prev.timestamp <= e.timestamp) deals.set(id, e)
    } else if (e.event === 'Survey Responded' && typeof p.reason === 'string') {
      const category = surveyCategory(lists, p)
      const kind = KINDS.includes(p.kind as string) ? (p.kind as SurveyKind) : null
      if (category && kind) add(category, p.reason, kind, e.timestamp, null)
    }
  }
  for (const e of deals.values()) {
    const p = e.properties!
    if (typeof p.reason !== 'string') continue
    const amount = toReporting(Number(p.amount), p.currency, money)
    if (amount === null) unconverted++
    add(e.event === 'Deal Won' ? 'won' : 'lost', p.reason, null, e.timestamp, amount)
  }

  const order: Record<ReasonKind, number> = { won: 0, lost: 1, churn: 2, satisfied: 3 }
  const out = [...rows.values()].sort(
    (a, b) =>
      order[a.category] - order[b.category] ||
      b.total.count - a.total.count ||
      a.reason.localeCompare(b.reason) ||
      (a.surveyKind ?? '').localeCompare(b.surveyKind ?? ''),
  )
  for (const row of out) {
    if (row.total.amount !== null) row.total.amount = cents(row.total.amount)
    row.periods.forEach((cell, i) => {
      if (cell.amount !== null) cell.amount = cents(cell.amount)
      const prev = row.periods[i - 1]
      if (!prev) return
      cell.countChange = cell.count - prev.count
      cell.countChangePct =
        prev.count === 0 ? null : Math.round(((cell.count - prev.count) / prev.count) * 1000) / 10
    })
  }
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    period: range.period,
    periods: labels,
    currency: money.currency ?? null,
    rows: out,
    unconverted,
  }
}

/** The report as CSV: one line per reason and period. */
export function reasonsCsv(report: ReasonsReport): string {
  const lines = [
    csvRow([
      'category',
      'reason',
      'survey_kind',
      'period',
      'count',
      'amount',
      'currency',
      'count_change',
      'count_change_pct',
    ]),
  ]
  for (const r of report.rows) {
    for (const p of r.periods) {
      lines.push(
        csvRow([
          r.category,
          r.reason,
          r.surveyKind,
          p.period,
          p.count,
          p.amount,
          p.amount === null ? null : report.currency,
          p.countChange,
          p.countChangePct,
        ]),
      )
    }
  }
  return lines.join('')
}
