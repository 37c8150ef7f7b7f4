/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { KpiReport } from '../../lifecycle/port.js'
import { PERIODS, type Period } from '@lodestone/lifecycle'
import { BarChart, StepChart } from '../views/charts.js'

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

const fmt = (v: number | null, suffix = '') => (v === null ? '–' : `${v}${suffix}`)
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
export function KpisBody(props: { form: KpiForm; report: KpiReport | null; error?: string }) {
  const f = props.form
  const r = props.report
  return (
    <>
      <h1>KPIs</h1>
      <form class="filters" method="get" action="/app/kpis">
        <label>
          Period
          <select name="period">
            {PERIODS.map((p: Period) => (
              <option value={p} selected={p === f.period}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" name="from" value={f.from} />
        </label>
        <label>
          To
          <input type="date" name="to" value={f.to} />
        </label>
        <button type="submit" class="primary">
          Show
        </button>
      </form>
      {props.error ? <p class="error">{props.error}</p> : null}
      {r ? <KpiReportView report={r} /> : null}
    </>
  )
}

function KpiReportView(props: { report: KpiReport }) {
  const r = props.report
  const o = r.overall
  const sat = r.satisfaction
  const retention = new Map(r.retention.map((p) => [p.period, p]))
  const npsPoints = sat
    .filter((s) => s.nps.score !== null)
    .map((s) => ({
      at: labelStart(s.period),
      value: s.nps.score as number,
      title: `${s.period}: NPS ${s.nps.score} (${s.nps.responses} responses)`,
    }))
  return (
    <>
      <p class="muted">{`${r.from.slice(0, 10)} to ${r.to.slice(0, 10)} (UTC), per ${r.period}.`}</p>
      <div class="cards">
        <Headline
          title="NPS"
          value={fmt(o.nps.score)}
          detail={`${o.nps.responses} responses: ${o.nps.promoters} promoters, ${o.nps.passives} passives, ${o.nps.detractors} detractors`}
        />
        <Headline
          title="CSAT"
          value={fmt(o.csat.score, '%')}
          detail={`${o.csat.satisfied} of ${o.csat.responses} responses scored 4 or 5`}
        />
        <Headline
          title="CES"
          value={fmt(o.ces.average)}
          detail={`Average of ${o.ces.responses} responses (1–7, 7 = easiest)`}
        />
      </div>
      <div class="cards">
        <section class="card">
          <h2>NPS over time</h2>
          {npsPoints.length ? (
            <StepChart label={`NPS per ${r.period}`} points={npsPoints} />
          ) : (
            <p class="muted">No NPS responses in this range.</p>
          )}
        </section>
        <section class="card">
          <h2>CSAT over time (%)</h2>
          <BarChart
            label={`CSAT per ${r.period}`}
            labelEvery={every(sat.length)}
            bars={sat.map((s) => ({
              label: s.period,
              value: s.csat.score ?? 0,
              title: `${s.period}: CSAT ${fmt(s.csat.score, '%')} (${s.csat.responses} responses)`,
            }))}
          />
        </section>
        <section class="card">
          <h2>CES over time</h2>
          <BarChart
            label={`CES per ${r.period}`}
            labelEvery={every(sat.length)}
            bars={sat.map((s) => ({
              label: s.period,
              value: s.ces.average ?? 0,
              title: `${s.period}: CES ${fmt(s.ces.average)} (${s.ces.responses} responses)`,
            }))}
          />
        </section>
        <section class="card">
          <h2>Retention over time (%)</h2>
          <p class="muted">Customers who ordered in a period and again in the next.</p>
          <BarChart
            label={`Retention per ${r.period}`}
            labelEvery={every(r.retention.length)}
            bars={r.retention.map((p) => ({
              label: p.period,
              value: p.rate === null ? 0 : Math.round(p.rate * 1000) / 10,
              title: `${p.period}: ${p.retained} of the previous period's customers retained`,
            }))}
          />
        </section>
      </div>
      <section class="card">
        <h2>{`Per ${r.period}`}</h2>
        <table>
          <thead>
            <tr>
              <th>Period</th>
              <th class="num">NPS</th>
              <th class="num">CSAT</th>
              <th class="num">CES</th>
              <th class="num">Responses</th>
              <th class="num">Customers</th>
              <th class="num">Retained</th>
              <th class="num">Retention</th>
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
                  <td class="num">{s.nps.responses + s.csat.responses + s.ces.responses}</td>
                  <td class="num">{ret ? ret.active : '–'}</td>
                  <td class="num">{ret ? ret.retained : '–'}</td>
                  <td class="num">
                    {ret && ret.rate !== null ? `${Math.round(ret.rate * 1000) / 10}%` : '–'}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </section>
    </>
  )
}
