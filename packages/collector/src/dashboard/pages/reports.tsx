/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// Reasons, Campaigns, Quality history and Alerts (docs/dashboard.md), and the alert panels the
// Live page and contact profiles show. Every string through t(); every value escaped by JSX.
import { PERIODS } from '@lodestone/lifecycle'
import type { CampaignReport, CampaignRow } from '../../reports/campaigns.js'
import type { ReasonsReport, ReasonRow } from '../../reports/reasons-report.js'
import type { QualityScan, WorkspaceAlert } from '../../reports/port.js'
import { MEASURES, share, type QualitySchedule } from '../../reports/quality-scan.js'
import { t, type Locale } from '../i18n/index.js'
import { BarChart, StepChart } from '../views/charts.js'
import { when } from '../views/format.js'

type L = { locale: Locale }
const num = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? '–' : String(Math.round(v * 10 ** digits) / 10 ** digits)
const every = (n: number) => Math.max(1, Math.ceil(n / 8))

function Errors(props: L & { error?: string }) {
  return props.error ? (
    <p class="error" role="alert">
      {t(props.locale, 'reports.error.form', { message: props.error })}
    </p>
  ) : null
}

export interface ReasonsForm {
  period: string
  from: string
  to: string
}

function RangeFields(props: L & { from: string; to: string }) {
  return (
    <>
      <label>
        {t(props.locale, 'reports.form.from')}
        <input type="date" name="from" value={props.from} />
      </label>
      <label>
        {t(props.locale, 'reports.form.to')}
        <input type="date" name="to" value={props.to} />
      </label>
    </>
  )
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
        bars={totals}
        labelEvery={every(totals.length)}
        label={t(l, `reports.reasons.category.${props.category}`)}
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
                {money ? <td class="amount">{num(row.total.amount)}</td> : null}
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

export interface CampaignsForm {
  from: string
  to: string
  attribution: string
  groupBy: string
  conversion: string
}

/** Per campaign: visitors, contacts, grades, deals, revenue, cost, CTR, CPC, CPA, ROAS. */
export function CampaignsBody(
  props: L & {
    form: CampaignsForm
    report: CampaignReport | null
    error?: string
    csrf: string
    imported?: number
    importError?: string
  },
) {
  const { locale: l, form: f, report: r } = props
  const rows = r?.rows ?? []
  const bars = (pick: (row: CampaignRow) => number | null) =>
    rows
      .filter((row) => pick(row) !== null)
      .map((row) => ({
        label: row.key.slice(0, 14),
        value: pick(row) ?? 0,
        title: `${row.key}: ${num(pick(row))}`,
      }))
  return (
    <>
      <h1>{t(l, 'reports.campaigns.title')}</h1>
      <p class="muted">{t(l, 'reports.campaigns.intro')}</p>
      <form class="filters" method="get" action="/app/campaigns">
        <RangeFields locale={l} from={f.from} to={f.to} />
        <label>
          {t(l, 'reports.campaigns.attribution')}
          <select name="attribution">
            {(['first', 'last'] as const).map((a) => (
              <option value={a} selected={a === f.attribution}>
                {t(l, `reports.campaigns.attribution.${a}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'reports.campaigns.groupBy')}
          <select name="groupBy">
            {(['campaign', 'source', 'medium'] as const).map((g) => (
              <option value={g} selected={g === f.groupBy}>
                {t(l, `reports.campaigns.group.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'reports.campaigns.conversion')}
          <input
            name="conversion"
            value={f.conversion}
            placeholder={t(l, 'reports.campaigns.conversionHint')}
            size={26}
          />
        </label>
        <button type="submit" class="primary">
          {t(l, 'reports.form.show')}
        </button>
      </form>
      <Errors locale={l} error={props.error} />
      {r && rows.length === 0 ? <p class="muted">{t(l, 'reports.none')}</p> : null}
      {r && (r.unconverted.sales || r.unconverted.costs) ? (
        <p class="muted">{t(l, 'reports.campaigns.unconverted', r.unconverted)}</p>
      ) : null}
      {rows.length ? (
        <div class="cards">
          <section class="card">
            <h2>{t(l, 'reports.campaigns.chartRevenue')}</h2>
            <BarChart
              bars={bars((x) => x.revenue)}
              label={t(l, 'reports.campaigns.chartRevenue')}
              height={150}
            />
          </section>
          {r?.groupBy === 'campaign' ? (
            <section class="card">
              <h2>{t(l, 'reports.campaigns.chartCost')}</h2>
              <BarChart
                bars={bars((x) => x.cost)}
                label={t(l, 'reports.campaigns.chartCost')}
                height={150}
              />
            </section>
          ) : null}
          {r?.groupBy === 'campaign' ? (
            <section class="card">
              <h2>{t(l, 'reports.campaigns.chartCtr')}</h2>
              <BarChart
                bars={bars((x) => x.ctr)}
                label={t(l, 'reports.campaigns.chartCtr')}
                height={150}
              />
            </section>
          ) : null}
        </div>
      ) : null}
      {r && rows.length ? <CampaignTable locale={l} report={r} /> : null}
      <section class="card">
        <h2>{t(l, 'reports.campaigns.import')}</h2>
        <p class="muted small">{t(l, 'reports.campaigns.importHint')}</p>
        {props.imported !== undefined ? (
          <p class="ok">{t(l, 'reports.campaigns.imported', { count: props.imported })}</p>
        ) : null}
        <Errors locale={l} error={props.importError} />
        <form method="post" action="/app/campaigns/costs" enctype="multipart/form-data">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="file" name="file" accept=".csv,text/csv" required />{' '}
          <button type="submit">{t(l, 'reports.campaigns.import')}</button>
        </form>
      </section>
    </>
  )
}

function CampaignTable(props: L & { report: CampaignReport }) {
  const { locale: l, report: r } = props
  const cols: [string, (x: CampaignRow) => string][] = [
    ['visitors', (x) => String(x.visitors)],
    ['newContacts', (x) => String(x.newContacts)],
    ...r.grades.map((g): [string, (x: CampaignRow) => string] => [
      `grade:${g}`,
      (x) => String(x.grades[g] ?? 0),
    ]),
    ['dealsWon', (x) => String(x.dealsWon)],
    ['revenue', (x) => num(x.revenue)],
    ['conversions', (x) => String(x.conversions)],
    ['cost', (x) => num(x.cost)],
    ['impressions', (x) => num(x.impressions, 0)],
    ['clicks', (x) => num(x.clicks, 0)],
    ['ctr', (x) => (x.ctr === null ? '–' : `${num(x.ctr)} %`)],
    ['cpc', (x) => num(x.cpc)],
    ['cpa', (x) => num(x.cpa)],
    ['roas', (x) => num(x.roas)],
  ]
  const head = (c: string) =>
    c.startsWith('grade:')
      ? t(l, 'reports.campaigns.reached', { grade: c.slice(6) })
      : t(l, `reports.campaigns.${c}`)
  return (
    <section class="card">
      <table id="campaigns">
        <thead>
          <tr>
            <th>{t(l, `reports.campaigns.group.${r.groupBy}`)}</th>
            {cols.map(([c]) => (
              <th>{head(c)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...r.rows, r.totals].map((row, i) => (
            <tr data-key={i === r.rows.length ? '' : row.key}>
              <td>{i === r.rows.length ? <strong>{t(l, 'reports.total')}</strong> : row.key}</td>
              {cols.map(([c, f]) => (
                <td data-col={c}>{f(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** The scan history: a trend chart per measure and one table line per scan. */
export function QualityHistoryBody(
  props: L & {
    scans: QualityScan[]
    schedule: QualitySchedule
    csrf: string
    ran?: boolean
    banner?: WorkspaceAlert | null
  },
) {
  const { locale: l, scans } = props
  const charted = ['complete', 'missingEmail', 'invalid', 'addressIssues'] as const
  return (
    <>
      <h1>{t(l, 'reports.quality.title')}</h1>
      <QualityBanner locale={l} alert={props.banner ?? null} />
      <p class="muted">
        {t(l, 'reports.quality.intro', {
          days: props.schedule.everyDays,
          next: when(props.schedule.nextRunAt),
        })}
      </p>
      <form method="post" action="/app/quality/scan">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <button type="submit" class="primary">
          {t(l, 'reports.quality.runNow')}
        </button>{' '}
        {props.ran ? <span class="ok">{t(l, 'reports.quality.ran')}</span> : null}
      </form>
      {scans.length === 0 ? <p class="muted">{t(l, 'reports.quality.none')}</p> : null}
      {scans.length ? (
        <div class="cards">
          {charted.map((m) => (
            <section class="card">
              <h2>{t(l, 'reports.quality.chart', { measure: t(l, `reports.measure.${m}`) })}</h2>
              <StepChart
                label={t(l, `reports.measure.${m}`)}
                height={130}
                points={scans.map((s) => ({
                  at: Date.parse(s.at),
                  value: share(s.measures, m),
                  title: `${s.at.slice(0, 10)}: ${share(s.measures, m)} %`,
                }))}
              />
            </section>
          ))}
        </div>
      ) : null}
      {scans.length ? (
        <section class="card">
          <table id="scans">
            <thead>
              <tr>
                <th>{t(l, 'reports.quality.at')}</th>
                <th>{t(l, 'reports.quality.trigger')}</th>
                <th>{t(l, 'reports.measure.total')}</th>
                {MEASURES.map((m) => (
                  <th>{t(l, `reports.measure.${m}`)}</th>
                ))}
                <th>{t(l, 'reports.quality.worsened')}</th>
              </tr>
            </thead>
            <tbody>
              {[...scans].reverse().map((s) => (
                <tr data-scan={s.id}>
                  <td>{when(s.at)}</td>
                  <td>{t(l, `reports.quality.trigger.${s.trigger}`)}</td>
                  <td>{s.measures.total}</td>
                  {MEASURES.map((m) => (
                    <td data-measure={m}>
                      {s.measures[m]} <span class="muted small">({share(s.measures, m)} %)</span>
                    </td>
                  ))}
                  <td class={s.worsened.length ? 'up' : ''}>
                    {s.worsened.map((w) => t(l, `reports.measure.${w.measure}`)).join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  )
}

/** The newest open data-quality alert, as a banner. */
export function QualityBanner(props: L & { alert: WorkspaceAlert | null }) {
  if (!props.alert) return null
  return (
    <div class="banner" role="status" id="quality-banner">
      {t(props.locale, 'reports.banner.quality', { message: props.alert.message })}{' '}
      <a href="/app/alerts?kind=quality_worsened">{t(props.locale, 'reports.banner.see')}</a>
    </div>
  )
}

export const ALERT_KINDS = [
  'satisfaction_below',
  'tickets_within',
  'churn_risk_above',
  'grade_became',
  'quality_worsened',
] as const

/** A list of alerts, each acknowledgeable; contacts link to their profiles. */
export function AlertList(
  props: L & {
    alerts: WorkspaceAlert[]
    labels: Record<string, { label: string | null }>
    csrf: string
    back: string
    showContact?: boolean
  },
) {
  const l = props.locale
  if (props.alerts.length === 0) return <p class="muted">{t(l, 'reports.alerts.none')}</p>
  return (
    <table class="alerts">
      <thead>
        <tr>
          <th>{t(l, 'reports.alerts.when')}</th>
          <th>{t(l, 'reports.alerts.kind')}</th>
          <th>{t(l, 'reports.alerts.alert')}</th>
          {props.showContact === false ? null : <th>{t(l, 'reports.alerts.contact')}</th>}
          <th />
        </tr>
      </thead>
      <tbody>
        {props.alerts.map((a) => (
          <tr data-alert={a.id} data-kind={a.kind}>
            <td>{when(a.at)}</td>
            <td>{t(l, `reports.alerts.kind.${a.kind}`)}</td>
            <td>
              <strong>{a.name ?? a.ruleId}</strong> {a.message}
            </td>
            {props.showContact === false ? null : (
              <td>
                {a.contactId ? (
                  <a href={`/app/contacts/${a.contactId}`}>
                    {props.labels[a.contactId]?.label ?? a.contactId.slice(0, 8)}
                  </a>
                ) : (
                  <span class="muted">{t(l, 'reports.alerts.workspace')}</span>
                )}
              </td>
            )}
            <td>
              {a.acknowledgedAt ? (
                <span class="muted small">
                  {t(l, 'reports.alerts.acknowledged', { when: when(a.acknowledgedAt) })}
                </span>
              ) : (
                <form method="post" action={`/app/alerts/${a.id}/acknowledge`}>
                  <input type="hidden" name="_csrf" value={props.csrf} />
                  <input type="hidden" name="back" value={props.back} />
                  <button type="submit">{t(l, 'reports.alerts.acknowledge')}</button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The Alerts page: filter by kind and by open/all. */
export function AlertsBody(
  props: L & {
    kind: string
    open: boolean
    alerts: WorkspaceAlert[]
    labels: Record<string, { label: string | null }>
    csrf: string
    back: string
    banner: WorkspaceAlert | null
  },
) {
  const l = props.locale
  return (
    <>
      <h1>{t(l, 'reports.alerts.title')}</h1>
      <QualityBanner locale={l} alert={props.banner} />
      <p class="muted">{t(l, 'reports.alerts.intro')}</p>
      <form class="filters" method="get" action="/app/alerts">
        <label>
          {t(l, 'reports.alerts.kind')}
          <select name="kind">
            <option value="">{t(l, 'reports.alerts.kind.all')}</option>
            {ALERT_KINDS.map((k) => (
              <option value={k} selected={k === props.kind}>
                {t(l, `reports.alerts.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'reports.alerts.show')}
          <select name="show">
            <option value="open" selected={props.open}>
              {t(l, 'reports.alerts.show.open')}
            </option>
            <option value="all" selected={!props.open}>
              {t(l, 'reports.alerts.show.all')}
            </option>
          </select>
        </label>
        <button type="submit" class="primary">
          {t(l, 'reports.form.show')}
        </button>
      </form>
      <section class="card">
        <AlertList {...props} />
      </section>
    </>
  )
}
