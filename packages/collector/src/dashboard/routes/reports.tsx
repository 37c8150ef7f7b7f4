/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import type { DashboardEnv } from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { ALERT_KINDS, AlertList, AlertsBody, QualityBanner } from '../pages/alerts.js'
import { CampaignsBody, type CampaignsForm } from '../pages/campaigns.js'
import { QualityHistoryBody } from '../pages/quality-history.js'
import { ReasonsBody, type ReasonsForm } from '../pages/reasons.js'
import { currentPath, page, safeNext, text, type Ctx } from '../render.js'
import { campaignsQuery, reasonsQuery } from '../../routes/reports.js'
import { reasonsCsv } from '../../reports/reasons-report.js'
import { parseCosts, parseCsv } from '../../reports/costs.js'
import type { ReportsStore, WorkspaceAlert } from '../../reports/port.js'
import { query } from '../views/format.js'
import { FIRST_WAIT_MS, snapshotCache } from '../snapshots.js'
import { Computing } from '../views/computing.js'

type CampaignsParsed = Exclude<ReturnType<typeof campaignsQuery>, { error: string }>

const DAY = 86_400_000
const day = (d: Date) => d.toISOString().slice(0, 10)

/** The newest open data-quality alert of a workspace (the banner), or null. */
export async function qualityBanner(
  reports: ReportsStore | undefined,
  workspaceId: string,
): Promise<WorkspaceAlert | null> {
  if (!reports) return null
  const [a] = await reports.listAlerts(workspaceId, {
    kind: 'quality_worsened',
    open: true,
    limit: 1,
  })
  return a ?? null
}

/** The Live page's alert panel: the quality banner and the newest open alerts. */
export async function liveAlerts(c: Ctx, deps: AppDeps) {
  if (!deps.reports) return null
  const ws = c.var.session.workspace.id
  const [alerts, banner, settings] = await Promise.all([
    deps.reports.listAlerts(ws, { open: true, limit: 10 }),
    qualityBanner(deps.reports, ws),
    deps.store.getLifecycleSettings(ws),
  ])
  const ids = [...new Set(alerts.flatMap((a) => (a.contactId ? [a.contactId] : [])))]
  const labels = await deps.store.contactLabels(ws, ids)
  return (
    <>
      <QualityBanner locale={c.var.locale} alert={banner} />
      <section class="card" id="open-alerts">
        <h2>
          {t(c.var.locale, 'reports.alerts.recent')}{' '}
          <a class="small" href="/app/alerts">
            {t(c.var.locale, 'reports.alerts.all')}
          </a>
        </h2>
        <AlertList
          locale={c.var.locale}
          f={c.var.fmt}
          alerts={alerts}
          rules={settings.alertRules}
          labels={labels}
          csrf={c.var.session.csrf}
          back="/app/live"
        />
      </section>
    </>
  )
}

/** Reasons, Campaigns, Quality history and Alerts (docs/dashboard.md). */
export function reportsRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  const reports = (): ReportsStore => {
    if (!deps.reports) throw new CollectorError('store_unavailable', 'Reports are not configured')
    return deps.reports
  }

  const reasonsForm = (c: Ctx): ReasonsForm => {
    const q = c.req.query()
    const now = deps.clock.now()
    return {
      period: text(q.period, 16) ?? 'month',
      from: text(q.from, 40) ?? day(new Date(now.getTime() - 364 * DAY)),
      to: text(q.to, 40) ?? day(now),
    }
  }

  app.get('/reasons', async (c) => {
    const form = reasonsForm(c)
    const q = reasonsQuery({ ...form }, deps.clock.now())
    const error = 'error' in q ? q.error : undefined
    const report =
      'error' in q ? null : await reports().reasonsReport(c.var.session.workspace.id, q)
    return page(
      c,
      t(c.var.locale, 'reports.nav.reasons'),
      'reasons',
      <ReasonsBody
        locale={c.var.locale}
        form={form}
        report={report}
        error={error}
        csv={`/app/reasons.csv${query({ ...form })}`}
      />,
      error ? 400 : 200,
    )
  })

  app.get('/reasons.csv', async (c) => {
    const q = reasonsQuery({ ...reasonsForm(c) }, deps.clock.now())
    if ('error' in q) throw new CollectorError('bad_request', q.error)
    const report = await reports().reasonsReport(c.var.session.workspace.id, q)
    return c.body(reasonsCsv(report), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="reasons.csv"',
    })
  })

  // The report reads every contact's first touch and every campaign event: per workspace and
  // form, computed for each visit when quick, served for a minute in a large workspace
  // (snapshots.ts); fresh right after costs are imported.
  const campaignReport = async (ws: string, parsed: CampaignsParsed) =>
    reports().campaignReport(ws, {
      ...parsed,
      grades: (await deps.store.scoreGrades(ws)).map((g) => g.name),
    })
  const campaignReports = snapshotCache(
    (key) => {
      const [ws, parsed] = JSON.parse(key) as [string, CampaignsParsed]
      return campaignReport(ws, { ...parsed, from: new Date(parsed.from), to: new Date(parsed.to) })
    },
    {
      freshMs: 60_000,
      now: () => deps.clock.now(),
      shared: deps.snapshots && {
        store: deps.snapshots,
        kind: 'campaigns',
        workspaceOf: (key) => (JSON.parse(key) as [string])[0],
      },
    },
  )
  const campaignsPage = async (c: Ctx, extra: { imported?: number; importError?: string } = {}) => {
    const q = c.req.query()
    const now = deps.clock.now()
    const form: CampaignsForm = {
      from: text(q.from, 40) ?? day(new Date(now.getTime() - 29 * DAY)),
      to: text(q.to, 40) ?? day(now),
      attribution: text(q.attribution, 16) ?? 'first',
      groupBy: text(q.groupBy, 16) ?? 'campaign',
      conversion: text(q.conversion, 200) ?? '',
    }
    const parsed = campaignsQuery({ ...form }, now)
    const error = 'error' in parsed ? parsed.error : undefined
    const ws = c.var.session.workspace.id
    let report: Awaited<ReturnType<typeof campaignReport>> | null = null
    if (!('error' in parsed)) {
      const snap =
        extra.imported !== undefined
          ? { data: await campaignReport(ws, parsed) }
          : await campaignReports.within(JSON.stringify([ws, parsed]), FIRST_WAIT_MS)
      // a large workspace's first report: being computed, shown on a later visit
      if (!snap)
        return page(
          c,
          t(c.var.locale, 'reports.nav.campaigns'),
          'campaigns',
          <Computing f={c.var.fmt} />,
        )
      report = snap.data
    }
    return page(
      c,
      t(c.var.locale, 'reports.nav.campaigns'),
      'campaigns',
      <CampaignsBody
        locale={c.var.locale}
        form={form}
        report={report}
        error={error}
        csrf={c.var.session.csrf}
        {...extra}
      />,
      error || extra.importError ? 400 : 200,
    )
  }
  app.get('/campaigns', (c) => campaignsPage(c))

  app.post('/campaigns/costs', async (c) => {
    const form = await c.req.parseBody()
    const file = form.file
    const csv = typeof file === 'string' ? file : file instanceof Blob ? await file.text() : ''
    const parsed = parseCosts(parseCsv(csv))
    if (!parsed.ok || parsed.costs.length === 0) {
      const message = parsed.ok
        ? 'the file has no cost lines'
        : parsed.issues
            .slice(0, 5)
            .map((i) => `line ${i.row} ${i.path.join('.')}: ${i.message}`)
            .join('; ')
      return campaignsPage(c, { importError: message })
    }
    const { imported } = await reports().importAdCosts(c.var.session.workspace.id, parsed.costs)
    return campaignsPage(c, { imported })
  })

  const historyPage = async (c: Ctx, ran = false) => {
    const ws = c.var.session.workspace.id
    const now = deps.clock.now()
    const [scans, schedule, banner] = await Promise.all([
      reports().qualityHistory(ws, 200),
      reports().getQualitySchedule(ws, now),
      qualityBanner(deps.reports, ws),
    ])
    return page(
      c,
      t(c.var.locale, 'reports.nav.qualityHistory'),
      'qualityHistory',
      <QualityHistoryBody
        locale={c.var.locale}
        f={c.var.fmt}
        scans={scans}
        schedule={schedule}
        csrf={c.var.session.csrf}
        ran={ran}
        banner={banner}
      />,
    )
  }
  app.get('/quality/history', (c) => historyPage(c, c.req.query('ran') === '1'))
  app.post('/quality/scan', async (c) => {
    await reports().runQualityScan(c.var.session.workspace.id, deps.clock.now())
    return c.redirect('/app/quality/history?ran=1', 303)
  })

  app.get('/alerts', async (c) => {
    const ws = c.var.session.workspace.id
    const q = c.req.query()
    const kind = (ALERT_KINDS as readonly string[]).includes(q.kind ?? '') ? q.kind! : ''
    const open = q.show !== 'all'
    const [alerts, banner, settings] = await Promise.all([
      reports().listAlerts(ws, { kind: kind || undefined, open: open || undefined, limit: 200 }),
      qualityBanner(deps.reports, ws),
      deps.store.getLifecycleSettings(ws),
    ])
    const ids = [...new Set(alerts.flatMap((a) => (a.contactId ? [a.contactId] : [])))]
    const labels = await deps.store.contactLabels(ws, ids)
    return page(
      c,
      t(c.var.locale, 'reports.nav.alerts'),
      'alerts',
      <AlertsBody
        locale={c.var.locale}
        f={c.var.fmt}
        rules={settings.alertRules}
        kind={kind}
        open={open}
        alerts={alerts}
        labels={labels}
        csrf={c.var.session.csrf}
        back={currentPath(c)}
        banner={banner}
      />,
    )
  })

  app.post('/alerts/:id/acknowledge', async (c) => {
    const form = await c.req.parseBody()
    const ok = await reports().acknowledgeAlert(
      c.var.session.workspace.id,
      c.req.param('id'),
      deps.clock.now(),
    )
    if (!ok) throw new CollectorError('not_found', 'No such alert')
    return c.redirect(safeNext(form.back), 303)
  })
  return app
}
