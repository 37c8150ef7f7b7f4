/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The Campaigns page (docs/dashboard.md): per campaign from first touch to revenue and cost.
import type { CampaignReport, CampaignRow } from '../../reports/campaigns.js'
import { t } from '../i18n/index.js'
import { BarChart } from '../views/charts.js'
import { Errors, num, RangeFields, type L } from './report-parts.js'
import { gradeLabel } from '../views/grades.js'

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
              empty={t(l, 'shell.chart.noRevenue')}
              height={150}
            />
          </section>
          {r?.groupBy === 'campaign' ? (
            <section class="card">
              <h2>{t(l, 'reports.campaigns.chartCost')}</h2>
              <BarChart
                bars={bars((x) => x.cost)}
                label={t(l, 'reports.campaigns.chartCost')}
                empty={t(l, 'shell.chart.noCost')}
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
                empty={t(l, 'shell.chart.noCost')}
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
          <input
            type="file"
            name="file"
            accept=".csv,text/csv"
            required
            aria-label={t(l, 'reports.campaigns.import')}
          />{' '}
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
      ? t(l, 'reports.campaigns.reached', { grade: gradeLabel(l, c.slice(6)) })
      : t(l, `reports.campaigns.${c}`)
  return (
    <section class="card">
      <div
        class="scroll"
        tabindex={0}
        role="region"
        aria-label={t(l, `reports.campaigns.group.${r.groupBy}`)}
      >
        <table id="campaigns">
          <thead>
            <tr>
              <th>{t(l, `reports.campaigns.group.${r.groupBy}`)}</th>
              {cols.map(([c]) => (
                <th class="num">{head(c)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...r.rows, r.totals].map((row, i) => (
              <tr data-key={i === r.rows.length ? '' : row.key}>
                <td>{i === r.rows.length ? <strong>{t(l, 'reports.total')}</strong> : row.key}</td>
                {cols.map(([c, f]) => (
                  <td class="num" data-col={c}>
                    {f(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
