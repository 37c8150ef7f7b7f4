import type { Sql } from 'postgres'
import type { DashboardOverview } from '../../../ports.js'
import type { RulesCache } from '../rules-cache.js'
import { summary, type Guard } from './shared.js'
import type { Scorer } from '@lodestone/scoring'
import { gradeSql, rankedContacts, scoreOfRow, totalSql } from '../score-order.js'

const DAY_MS = 86_400_000

/** A step of 1, 2 or 5 × 10ⁿ that cuts `span` into at most `buckets` pieces. */
export function niceStep(span: number, buckets: number): number {
  const raw = Math.max(span, 1) / buckets
  const p = 10 ** Math.floor(Math.log10(raw))
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!
}

/** The grade of a total: the last grade whose minimum it reaches (as gradeCaseSql says). */
function gradeOf(scorer: Scorer, total: number): string {
  const grades = scorer.ruleSet.grades
  let out = grades[0]?.name ?? ''
  for (const g of grades.slice(1)) if (typeof g.min === 'number' && total >= g.min) out = g.name
  return out
}

/** Score distribution, grade counts, new contacts per day and this week's hot leads. */
export function dashboardOverview(
  sql: Sql,
  guard: Guard,
  rules: RulesCache,
  workspaceId: string,
  opts: { now: Date; days?: number },
): Promise<DashboardOverview> {
  return guard(async () => {
    const days = opts.days ?? 30
    const since = new Date(
      Date.UTC(opts.now.getUTCFullYear(), opts.now.getUTCMonth(), opts.now.getUTCDate() - days + 1),
    )
    const weekAgo = new Date(opts.now.getTime() - 7 * DAY_MS)
    const { scorer } = await rules.current(sql, workspaceId)
    const hotGrade = scorer.grades[scorer.grades.length - 1] ?? null
    // scores as of now (score-order.ts): the same figures the lists and profiles show.
    // One pass over the contacts (grouping sets): the count per distinct total (two decimals,
    // so at most a few thousand groups) and per first-seen day; the range, the buckets and the
    // grades are derived from the totals here.
    const nowMs = opts.now.getTime()
    const T = totalSql(sql, scorer, nowMs)
    const [grouped, hot] = await Promise.all([
      sql`select grouping(day) as by_total, t, day, count(*)::int as n from (
          select ${T} as t, case when c.first_seen >= ${since}
              then to_char(c.first_seen at time zone 'UTC', 'YYYY-MM-DD') end as day
          from contacts c where c.workspace_id = ${workspaceId} and c.merged_into is null
        ) x group by grouping sets ((t), (day))`,
      hotGrade
        ? rankedContacts(sql, {
            workspaceId,
            scorer,
            nowMs,
            limit: 10,
            filter: sql`${gradeSql(sql, scorer, nowMs, hotGrade)} and c.last_seen >= ${weekAgo}`,
            columns: sql`c.id, c.traits, c.first_seen, c.last_seen`,
          })
        : Promise.resolve([]),
    ])
    const totals = grouped.filter((r) => Number(r.by_total) === 1)
    const perDay = grouped.filter((r) => Number(r.by_total) === 0 && r.day !== null)
    let lo = Infinity
    let hi = -Infinity
    for (const r of totals) {
      lo = Math.min(lo, r.t as number)
      hi = Math.max(hi, r.t as number)
    }
    if (totals.length === 0) lo = hi = 0
    const step = niceStep(hi - lo, 12)
    const base = Math.floor(lo / step) * step
    const histogram = new Map<number, number>()
    const grades = new Map<string, number>()
    let total = 0
    for (const r of totals) {
      const b = Math.floor(((r.t as number) - base) / step)
      histogram.set(b, (histogram.get(b) ?? 0) + r.n)
      const g = gradeOf(scorer, r.t as number)
      grades.set(g, (grades.get(g) ?? 0) + r.n)
      total += r.n
    }
    const top = Math.max(-1, ...histogram.keys())
    const counts = new Map(perDay.map((r) => [r.day as string, r.n as number]))
    return {
      total,
      distribution: Array.from({ length: top + 1 }, (_, b) => ({
        from: base + b * step,
        to: base + (b + 1) * step,
        count: histogram.get(b) ?? 0,
      })),
      grades: [...grades].map(([grade, count]) => ({ grade, count })),
      newPerDay: Array.from({ length: days }, (_, i) => {
        const day = new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10)
        return { day, count: counts.get(day) ?? 0 }
      }),
      hotGrade,
      hotLeads: hot.map((r) => ({ ...summary(r), score: scoreOfRow(r as never, scorer, nowMs) })),
    }
  })
}
