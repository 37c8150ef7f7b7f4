/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { KpiReport } from '../../lifecycle/port.js'
import { PERIODS, type Period } from '@lodestone/lifecycle'
import { BarChart, StepChart } from '../views/charts.js'
import type { Fmt } from '../views/intl.js'
import { FormError } from '../views/form-error.js'

export interface KpiForm {
  period: string
  from: string
  to: string
}

/** The start (UTC ms) of a period label: `2025`, `2025-Q2`, `2025-06`, `2025-06-30`. */
export function labelStart(label: string): number {
  const q = /^(\d{4})-Q([1-4])$/.exec(label)
  if (q) return Date.UTC(Number(q[1]), (Number(q[2]) - 1) * 3, 1)
  if (/^\d{4}$/.test(label)) return Date.UTC(Number(label), 0, 1)
  if (/^\d{4}-\d{2}$/.test(label)) return Date.parse(`${label}-01T00:00:00Z`)
  return Date.parse(`${label}T00:00:00Z`)
}

const every = (n: number) => Math.max(1, Math.ceil(n / 8))

function Headline(props: { title: string; value: string; detail: string }) {
  return (
    <section class="card">
      <h2>{props.title}</h2>
      <p>
        <strong>{props.value}</strong>
      </p>
      <p class="muted">{props.detail}</p>
    </section>
  )
}

/** NPS, CSAT, CES and retention per period over a chosen range, as SVG charts and a table. */
export function KpisBody(props: {
  f: Fmt
  form: KpiForm
  report: KpiReport | null
  error?: string
}) {
  const { f } = props
  const form = props.form
  const r = props.report
  return (
    <>
      <h1>{f.t('nav.kpis')}</h1>
      <form class="filters" method="get" action="/app/kpis">
        <label>
          {f.t('kpis.period')}
          <select name="period">
            {PERIODS.map((p: Period) => (
              <option value={p} selected={p === form.period}>
                {f.t(`kpis.period.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {f.t('kpis.from')}
          <input type="date" name="from" value={form.from} />
        </label>
        <label>
          {f.t('kpis.to')}
          <input type="date" name="to" value={form.to} />
        </label>
        <button type="submit" class="primary">
          {f.t('kpis.show')}
        </button>
      </form>
      <FormError error={props.error} />
      {r ? <KpiReportView f={f} report={r} /> : null}
    </>
  )
}

function KpiReportView(props: { f: Fmt; report: KpiReport }) {
  const { f } = props
  const fmt = (v: number | null, suffix = '') => (v === null ? '–' : `${f.num(v)}${suffix}`)
  const r = props.report
  const per = f.t(`kpis.period.${r.period}`)
  const o = r.overall
  const sat = r.satisfaction
  const retention = new Map(r.retention.map((p) => [p.period, p]))
  const npsPoints = sat
    .filter((s) => s.nps.score !== null)
    .map((s) => ({
      at: labelStart(s.period),
      value: s.nps.score as number,
      title: f.t('kpis.pointTitle', {
        period: s.period,
        name: 'NPS',
        value: fmt(s.nps.score),
        n: s.nps.responses,
      }),
    }))
  return (
    <>
      <p class="muted">
        {f.t('kpis.range', { from: r.from.slice(0, 10), to: r.to.slice(0, 10), period: per })}
      </p>
      <div class="cards">
        <Headline
          title="NPS"
          value={fmt(o.nps.score)}
          detail={f.t('kpis.npsDetail', {
            n: f.num(o.nps.responses),
            promoters: f.num(o.nps.promoters),
            passives: f.num(o.nps.passives),
            detractors: f.num(o.nps.detractors),
          })}
        />
        <Headline
          title="CSAT"
          value={fmt(o.csat.score, '%')}
          detail={f.t('kpis.csatDetail', {
            satisfied: f.num(o.csat.satisfied),
            n: f.num(o.csat.responses),
          })}
        />
        <Headline
          title="CES"
          value={fmt(o.ces.average)}
          detail={f.t('kpis.cesDetail', { n: f.num(o.ces.responses) })}
        />
      </div>
      <div class="cards">
        <section class="card">
          <h2>{f.t('kpis.npsOverTime')}</h2>
          {npsPoints.length ? (
            <StepChart
              f={f}
              label={f.t('kpis.per', { name: 'NPS', period: per })}
              points={npsPoints}
              empty={f.t('kpis.noNps')}
            />
          ) : (
            <p class="muted">{f.t('kpis.noNps')}</p>
          )}
        </section>
        <section class="card">
          <h2>{f.t('kpis.csatOverTime')}</h2>
          <BarChart
            locale={f.locale}
            label={f.t('kpis.per', { name: 'CSAT', period: per })}
            empty={f.t('shell.chart.noSurveys', { name: 'CSAT' })}
            hasData={sat.some((s) => s.csat.responses > 0)}
            labelEvery={every(sat.length)}
            bars={sat.map((s) => ({
              label: s.period,
              value: s.csat.score ?? 0,
              title: f.t('kpis.pointTitle', {
                period: s.period,
                name: 'CSAT',
                value: fmt(s.csat.score, '%'),
                n: s.csat.responses,
              }),
            }))}
          />
        </section>
        <section class="card">
          <h2>{f.t('kpis.cesOverTime')}</h2>
          <BarChart
            locale={f.locale}
            label={f.t('kpis.per', { name: 'CES', period: per })}
            empty={f.t('shell.chart.noSurveys', { name: 'CES' })}
            hasData={sat.some((s) => s.ces.responses > 0)}
            labelEvery={every(sat.length)}
            bars={sat.map((s) => ({
              label: s.period,
              value: s.ces.average ?? 0,
              title: f.t('kpis.pointTitle', {
                period: s.period,
                name: 'CES',
                value: fmt(s.ces.average),
                n: s.ces.responses,
              }),
            }))}
          />
        </section>
        <section class="card">
          <h2>{f.t('kpis.retentionOverTime')}</h2>
          <p class="muted">{f.t('kpis.retentionHelp')}</p>
          <BarChart
            locale={f.locale}
            label={f.t('kpis.per', { name: f.t('kpis.retention'), period: per })}
            empty={f.t('shell.chart.noRetention')}
            labelEvery={every(r.retention.length)}
            bars={r.retention.map((p) => ({
              label: p.period,
              value: p.rate === null ? 0 : Math.round(p.rate * 1000) / 10,
              title: f.t('kpis.retainedTitle', { period: p.period, n: f.num(p.retained) }),
            }))}
          />
        </section>
      </div>
      <section class="card">
        <h2>{f.t('kpis.table', { period: per })}</h2>
        <div class="scroll" tabindex={0}>
          <table>
            <thead>
              <tr>
                <th>{f.t('kpis.period')}</th>
                <th class="num">NPS</th>
                <th class="num">CSAT</th>
                <th class="num">CES</th>
                <th class="num">{f.t('kpis.responses')}</th>
                <th class="num">{f.t('kpis.customers')}</th>
                <th class="num">{f.t('kpis.retained')}</th>
                <th class="num">{f.t('kpis.retention')}</th>
              </tr>
            </thead>
            <tbody>
              {sat.map((s) => {
                const ret = retention.get(s.period)
                return (
                  <tr>
                    <td>{s.period}</td>
                    <td class="num">{fmt(s.nps.score)}</td>
                    <td class="num">{fmt(s.csat.score, '%')}</td>
                    <td class="num">{fmt(s.ces.average)}</td>
                    <td class="num">
                      {f.num(s.nps.responses + s.csat.responses + s.ces.responses)}
                    </td>
                    <td class="num">{ret ? ret.active : '–'}</td>
                    <td class="num">{ret ? ret.retained : '–'}</td>
                    <td class="num">{ret && ret.rate !== null ? f.percent(ret.rate) : '–'}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      </section>
    </>
  )
}
