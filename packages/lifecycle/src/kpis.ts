import { surveyRespondedPropertiesSchema, type SurveyKind } from '@lodestone/protocol'
import { LifecycleError } from './errors.js'
import { periodLabel, periodRange, type Period } from './periods.js'

export { PERIODS, periodLabel, periodRange, periodStart, type Period } from './periods.js'

export interface NpsResult {
  /** % promoters (9–10) − % detractors (0–6), −100…100, one decimal; null without responses. */
  score: number | null
  promoters: number
  passives: number
  detractors: number
  responses: number
}
export interface CsatResult {
  /** % of responses scoring 4 or 5, one decimal; null without responses. */
  score: number | null
  satisfied: number
  responses: number
}
export interface CesResult {
  /** Mean score 1–7 (7 = easiest), two decimals; null without responses. */
  average: number | null
  responses: number
}

const inRange = (min: number, max: number) => (s: number) =>
  Number.isInteger(s) && s >= min && s <= max
const pct = (n: number, of: number) => Math.round((n / of) * 1000) / 10

/**
 * Net Promoter Score over NPS responses (out-of-range values are ignored).
 * @example npsScore([10, 9, 8, 3]).score // 25
 */
export function npsScore(scores: readonly number[]): NpsResult {
  const valid = scores.filter(inRange(0, 10))
  const promoters = valid.filter((s) => s >= 9).length
  const detractors = valid.filter((s) => s <= 6).length
  const n = valid.length
  return {
    score: n ? pct(promoters - detractors, n) : null,
    promoters,
    passives: n - promoters - detractors,
    detractors,
    responses: n,
  }
}

/** @example csatScore([5, 4, 2, 1]).score // 50 */
export function csatScore(scores: readonly number[]): CsatResult {
  const valid = scores.filter(inRange(1, 5))
  const satisfied = valid.filter((s) => s >= 4).length
  return {
    score: valid.length ? pct(satisfied, valid.length) : null,
    satisfied,
    responses: valid.length,
  }
}

/** @example cesScore([7, 5, 6]).average // 6 */
export function cesScore(scores: readonly number[]): CesResult {
  const valid = scores.filter(inRange(1, 7))
  const sum = valid.reduce((a, b) => a + b, 0)
  return {
    average: valid.length ? Math.round((sum / valid.length) * 100) / 100 : null,
    responses: valid.length,
  }
}

/** A stored event with the contact it belongs to. */
export interface KpiEvent {
  contactId: string
  event: string | null | undefined
  timestamp: string | number | Date
  properties?: Record<string, unknown> | null
}

export interface TimeRange {
  from?: string | number | Date
  to?: string | number | Date
}

export interface SatisfactionKpis {
  nps: NpsResult
  csat: CsatResult
  ces: CesResult
}

type Response = { kind: SurveyKind; score: number; at: number }

function responses(events: readonly KpiEvent[], range: TimeRange): Response[] {
  const from = range.from === undefined ? -Infinity : new Date(range.from).getTime()
  const to = range.to === undefined ? Infinity : new Date(range.to).getTime()
  const out: Response[] = []
  for (const e of events) {
    if (e.event !== 'Survey Responded') continue
    const at = new Date(e.timestamp).getTime()
    if (!(at >= from && at <= to)) continue
    const r = surveyRespondedPropertiesSchema.safeParse(e.properties ?? {})
    if (r.success) out.push({ kind: r.data.kind, score: r.data.score, at })
  }
  return out
}

const scoresOf = (rs: Response[], kind: SurveyKind) =>
  rs.filter((r) => r.kind === kind).map((r) => r.score)
const summarise = (rs: Response[]): SatisfactionKpis => ({
  nps: npsScore(scoresOf(rs, 'nps')),
  csat: csatScore(scoresOf(rs, 'csat')),
  ces: cesScore(scoresOf(rs, 'ces')),
})

/**
 * NPS, CSAT and CES over every `Survey Responded` event in the range (each response counts,
 * as survey tools report them).
 * @example satisfactionKpis(events, { from: '2025-01-01', to: '2025-03-31T23:59:59Z' }).nps.score
 */
export function satisfactionKpis(
  events: readonly KpiEvent[],
  range: TimeRange = {},
): SatisfactionKpis {
  return summarise(responses(events, range))
}

/**
 * The same KPIs per period; periods without responses are present with null scores.
 * @example satisfactionOverTime(events, { period: 'month', from: '2025-01-01', to: '2025-06-30' })
 */
export function satisfactionOverTime(
  events: readonly KpiEvent[],
  options: TimeRange & { period: Period },
): (SatisfactionKpis & { period: string })[] {
  const rs = responses(events, options)
  const labels = rangeLabels(
    rs.map((r) => r.at),
    options,
  )
  const byPeriod = new Map<string, Response[]>(labels.map((l) => [l, []]))
  for (const r of rs) byPeriod.get(periodLabel(r.at, options.period))?.push(r)
  return labels.map((period) => ({ period, ...summarise(byPeriod.get(period) ?? []) }))
}

export interface RetentionPoint {
  period: string
  /** Contacts who purchased in the period. */
  active: number
  /** Of the previous period's active contacts, those who purchased again in this one. */
  retained: number
  /** retained ÷ previous active, 0–1 with three decimals; null for the first period or when the
   * previous one had nobody. */
  rate: number | null
}

/**
 * Period-over-period customer retention from purchase events (`Order Completed` by default).
 * @example retentionOverTime(events, { period: 'month', from: '2025-01-01', to: '2025-06-30' })
 */
export function retentionOverTime(
  events: readonly KpiEvent[],
  options: TimeRange & { period: Period; purchaseEvents?: readonly string[] },
): RetentionPoint[] {
  const names = options.purchaseEvents ?? ['Order Completed']
  const from = options.from === undefined ? -Infinity : new Date(options.from).getTime()
  const to = options.to === undefined ? Infinity : new Date(options.to).getTime()
  const purchases = events
    .filter((e) => typeof e.event === 'string' && names.includes(e.event))
    .map((e) => ({ id: e.contactId, at: new Date(e.timestamp).getTime() }))
    .filter((p) => p.at >= from && p.at <= to)
  const labels = rangeLabels(
    purchases.map((p) => p.at),
    options,
  )
  const active = new Map<string, Set<string>>(labels.map((l) => [l, new Set()]))
  for (const p of purchases) active.get(periodLabel(p.at, options.period))?.add(p.id)
  let previous: Set<string> | null = null
  return labels.map((period) => {
    const now = active.get(period) ?? new Set<string>()
    const retained = previous ? [...previous].filter((id) => now.has(id)).length : 0
    const rate =
      previous && previous.size ? Math.round((retained / previous.size) * 1000) / 1000 : null
    previous = now
    return { period, active: now.size, retained, rate }
  })
}

function rangeLabels(times: number[], options: TimeRange & { period: Period }): string[] {
  const parse = (v: TimeRange['from'], fallback: number) => {
    if (v === undefined) return fallback
    const t = new Date(v).getTime()
    if (Number.isNaN(t)) throw new LifecycleError('invalid_config', 'from and to must be dates')
    return t
  }
  // reduce, not Math.min(...times): spreading a huge array overflows the stack.
  const from = parse(
    options.from,
    times.reduce((a, b) => Math.min(a, b), Infinity),
  )
  const to = parse(
    options.to,
    times.reduce((a, b) => Math.max(a, b), -Infinity),
  )
  if (!Number.isFinite(from) || !Number.isFinite(to)) return []
  return periodRange(from, to, options.period)
}
