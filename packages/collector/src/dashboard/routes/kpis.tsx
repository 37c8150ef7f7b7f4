/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { DashboardEnv } from '../auth/guard.js'
import { LifecycleError } from '@lodestone/lifecycle'
import { PERIODS, periodRange, type Period } from '@lodestone/lifecycle'
import { t } from '../i18n/index.js'
import { KpisBody, type KpiForm } from '../pages/kpis.js'
import { page, text } from '../render.js'
import type { Fmt } from '../views/intl.js'
import { FIRST_WAIT_MS, snapshotCache } from '../snapshots.js'
import { Computing } from '../views/computing.js'

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** A `YYYY-MM-DD` form date at a time of day (UTC); null unless it is a real calendar date. */
function utcDate(v: string, time: string): Date | null {
  if (!DATE.test(v)) return null
  const d = new Date(`${v}${time}`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v ? d : null
}

/** What is wrong with a KPI form, or undefined when it can be reported. */
function kpiFormError(
  f: Fmt,
  form: KpiForm,
  from: Date | null,
  to: Date | null,
): string | undefined {
  if (!PERIODS.includes(form.period as Period))
    return f.t('kpis.badPeriod', { periods: PERIODS.join(', ') })
  if (!from || !to) return f.t('kpis.badDate')
  if (from > to) return f.t('kpis.fromAfterTo')
  try {
    periodRange(from.getTime(), to.getTime(), form.period as Period)
  } catch (err) {
    if (!(err instanceof LifecycleError)) throw err
    return f.t('kpis.tooMany')
  }
  return undefined
}

/** NPS, CSAT, CES and retention per period over a date range given as GET parameters. */
export function kpisRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  // Ranges are whole days, so a workspace's report for one range is computed for each visit
  // when quick, and served for a minute in a large workspace (snapshots.ts).
  const reports = snapshotCache(
    (key) => {
      const [ws, from, to, period] = JSON.parse(key) as [string, string, string, Period]
      return deps.store.kpis(ws, { from: new Date(from), to: new Date(to), period })
    },
    {
      freshMs: 60_000,
      now: () => deps.clock.now(),
      shared: deps.snapshots && {
        store: deps.snapshots,
        kind: 'kpis',
        workspaceOf: (key) => (JSON.parse(key) as [string])[0],
      },
    },
  )
  app.get('/kpis', async (c) => {
    const q = c.req.query()
    const now = deps.clock.now()
    const form: KpiForm = {
      period: text(q.period, 16) ?? 'month',
      to: text(q.to, 40) ?? now.toISOString().slice(0, 10),
      from:
        text(q.from, 40) ?? new Date(now.getTime() - 365 * 86_400_000).toISOString().slice(0, 10),
    }
    const from = utcDate(form.from, 'T00:00:00.000Z')
    const to = utcDate(form.to, 'T23:59:59.999Z')
    const error = kpiFormError(c.var.fmt, form, from, to)
    const snap =
      error || !from || !to
        ? { data: null }
        : await reports.within(
            JSON.stringify([
              c.var.session.workspace.id,
              from.toISOString(),
              to.toISOString(),
              form.period,
            ]),
            FIRST_WAIT_MS,
          )
    // a large workspace's first report: being computed, shown on a later visit
    if (!snap) return page(c, t(c.var.locale, 'nav.kpis'), 'kpis', <Computing f={c.var.fmt} />)
    const report = snap.data
    return page(
      c,
      t(c.var.locale, 'nav.kpis'),
      'kpis',
      <KpisBody f={c.var.fmt} form={form} report={report} error={error} />,
      error ? 400 : 200,
    )
  })
  return app
}
