/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The Reasons page (docs/dashboard.md): counts and amounts by reason per period.
import { PERIODS } from '@lodestone/lifecycle'
import type { ReasonsReport, ReasonRow } from '../../reports/reasons-report.js'
import { t } from '../i18n/index.js'
import { BarChart } from '../views/charts.js'
import { Errors, every, num, RangeFields, type L } from './report-parts.js'

export interface ReasonsForm {
  period: string
  from: string
  to: string
}

/** Counts and amounts by reason per period, a chart per category, CSV download. */
export function ReasonsBody(
  props: L & { form: ReasonsForm; report: ReasonsReport | null; error?: string; csv: string },
) {
  const { locale: l, form: f, report: r } = props
  return (
    <>
      <h1>{t(l, 'reports.reasons.title')}</h1>
      <p class="muted">{t(l, 'reports.reasons.intro')}</p>
      <form class="filters" method="get" action="/app/reasons">
        <label>
          {t(l, 'reports.form.period')}
          <select name="period">
            {PERIODS.map((p) => (
              <option value={p} selected={p === f.period}>
                {t(l, `reports.period.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <RangeFields locale={l} from={f.from} to={f.to} />
        <button type="submit" class="primary">
          {t(l, 'reports.form.show')}
        </button>
        {r ? (
          <a class="button" href={props.csv}>
            {t(l, 'reports.csv')}
          </a>
        ) : null}
      </form>
      <Errors locale={l} error={props.error} />
      {r && r.rows.length === 0 ? <p class="muted">{t(l, 'reports.none')}</p> : null}
      {r && r.unconverted ? (
        <p class="muted">{t(l, 'reports.reasons.unconverted', { count: r.unconverted })}</p>
      ) : null}
      {r
        ? (['won', 'lost', 'churn', 'satisfied'] as const).map((cat) => {
            const rows = r.rows.filter((x) => x.category === cat)
            return rows.length ? (
              <ReasonCategory locale={l} report={r} category={cat} rows={rows} />
            ) : null
          })
        : null}
    </>
  )
}

/** More lost deals or churn reasons is bad news (red), more wins or satisfied answers good. */
function trend(category: string, change: number | null): string {
  if (!change) return ''
  const bad = category === 'lost' || category === 'churn' ? change > 0 : change < 0
  return bad ? 'up' : 'down'
}

function ReasonCategory(props: L & { report: ReasonsReport; category: string; rows: ReasonRow[] }) {
  const { locale: l, report: r, rows } = props
  const money = rows[0]!.surveyKind === null
  const totals = r.periods.map((period, i) => ({
    label: period,
    value: rows.reduce((n, row) => n + row.periods[i]!.count, 0),
  }))
  const last = r.periods.length - 1
  return (
    <section class="card" data-category={props.category}>
      <h2>{t(l, `reports.reasons.category.${props.category}`)}</h2>
      <BarChart
        locale={l}
        bars={totals}
        labelEvery={every(totals.length)}
        label={t(l, `reports.reasons.category.${props.category}`)}
        empty={t(l, 'reports.none')}
        height={140}
      />
      <table>
        <thead>
          <tr>
            <th>{t(l, 'reports.reasons.reason')}</th>
            {money ? null : <th>{t(l, 'reports.reasons.kind')}</th>}
            <th>
              {t(l, 'reports.reasons.count')} ({t(l, 'reports.total')})
            </th>
            {money ? (
              <th>
                {t(l, 'reports.reasons.amount')} {r.currency ?? ''}
              </th>
            ) : null}
            <th>{r.periods[last]}</th>
            <th>{t(l, 'reports.reasons.change')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const cell = row.periods[last]!
            const change = cell.countChange
            return (
              <tr data-reason={row.reason} data-kind={row.surveyKind ?? ''}>
                <td>{row.reason}</td>
                {money ? null : <td>{row.surveyKind?.toUpperCase()}</td>}
                <td class="count">{row.total.count}</td>
                {money ? <td class="amount">{num(l, row.total.amount)}</td> : null}
                <td>{cell.count}</td>
                <td class={trend(props.category, change)}>
                  {change === null
                    ? '–'
                    : `${change > 0 ? '+' : ''}${change}${cell.countChangePct === null ? '' : ` (${cell.countChangePct > 0 ? '+' : ''}${cell.countChangePct} %)`}`}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}
