/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The Campaigns page (docs/dashboard.md): per campaign from first touch to revenue and cost.
import { NONE, type CampaignReport, type CampaignRow } from '../../reports/campaigns.js'
import { t, type Locale } from '../i18n/index.js'
import { BarChart } from '../views/charts.js'
import { Errors, num, RangeFields, type L } from './report-parts.js'
import { gradeLabel } from '../views/grades.js'

/** A row's campaign (or source, or medium); the row without one in the reader's language. */
const keyLabel = (l: Locale, key: string) => (key === NONE ? t(l, 'reports.campaigns.noKey') : key)

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
        label: keyLabel(l, row.key).slice(0, 14),
        value: pick(row) ?? 0,
        title: `${keyLabel(l, row.key)}: ${num(l, pick(row))}`,
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
              locale={l}
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
                locale={l}
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
                locale={l}
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
    ['visitors', (x) => num(l, x.visitors, 0)],
    ['newContacts', (x) => num(l, x.newContacts, 0)],
    ...r.grades.map((g): [string, (x: CampaignRow) => string] => [
      `grade:${g}`,
      (x) => num(l, x.grades[g] ?? 0, 0),
    ]),
    ['dealsWon', (x) => num(l, x.dealsWon, 0)],
    ['revenue', (x) => num(l, x.revenue)],
    ['conversions', (x) => num(l, x.conversions, 0)],
    ['cost', (x) => num(l, x.cost)],
    ['impressions', (x) => num(l, x.impressions, 0)],
    ['clicks', (x) => num(l, x.clicks, 0)],
    ['ctr', (x) => (x.ctr === null ? '–' : `${num(l, x.ctr)} %`)],
    ['cpc', (x) => num(l, x.cpc)],
    ['cpa', (x) => num(l, x.cpa)],
    ['roas', (x) => num(l, x.roas)],
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
                <td>
                  {i === r.rows.length ? (
                    <strong>{t(l, 'reports.total')}</strong>
                  ) : (
                    keyLabel(l, row.key)
                  )}
                </td>
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
