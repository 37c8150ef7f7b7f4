import { Hono } from 'hono'
import type { AppDeps } from '../deps.js'
import type { Workspace } from '../ports.js'
import { CollectorError } from '../errors.js'
import { parseJson, readRequestBody } from '../ingest/read-body.js'
import { LifecycleError } from '@lodestone/lifecycle'
import { PERIODS, periodRange, type Period } from '@lodestone/lifecycle'
import {
  ATTRIBUTIONS,
  CAMPAIGN_GROUPS,
  parseConversion,
  type Attribution,
  type CampaignGroup,
} from '../reports/campaigns.js'
import { parseCosts, parseCsv } from '../reports/costs.js'
import { scheduleProblems } from '../reports/quality-scan.js'
import { reasonsCsv } from '../reports/reasons-report.js'
import { reportRange } from '../reports/range.js'
import type { ReportsStore } from '../reports/port.js'
import { parseLimit } from './params.js'

type Env = { Variables: { workspace: Workspace } }

const COSTS_MAX_BYTES = 4 * 1024 * 1024

const bad = (message: string, issues?: unknown[]) =>
  new CollectorError('bad_request', message, issues ? { issues } : undefined)

/** Query parameters common to the reports; shared with the dashboard pages. */
export function reasonsQuery(q: Record<string, string>, now: Date) {
  const period = (q.period || 'month') as Period
  if (!PERIODS.includes(period)) return { error: `period must be one of ${PERIODS.join(', ')}` }
  const range = reportRange(q, now, 365)
  if ('error' in range) return range
  try {
    periodRange(range.from.getTime(), range.to.getTime(), period)
  } catch (err) {
    if (err instanceof LifecycleError) return { error: err.message }
    throw err
  }
  return { ...range, period }
}

export function campaignsQuery(q: Record<string, string>, now: Date) {
  const attribution = (q.attribution || 'first') as Attribution
  const groupBy = (q.groupBy || 'campaign') as CampaignGroup
  if (!ATTRIBUTIONS.includes(attribution))
    return { error: `attribution must be one of ${ATTRIBUTIONS.join(', ')}` }
  if (!CAMPAIGN_GROUPS.includes(groupBy))
    return { error: `groupBy must be one of ${CAMPAIGN_GROUPS.join(', ')}` }
  const conversion = q.conversion ? parseConversion(q.conversion) : null
  if (q.conversion && !conversion)
    return { error: 'conversion must be grade:<name>, segment:<id> or event:<name>' }
  const range = reportRange(q, now, 30)
  if ('error' in range) return range
  return { ...range, attribution, groupBy, conversion }
}

/**
 * Reports and data hygiene (secret key): reasons and campaign reports, ad-cost import, the
 * quality-scan schedule and history, and alerts with acknowledgement (docs/lifecycle.md).
 */
export function reportRoutes(deps: AppDeps) {
  const app = new Hono<Env>()
  const reports = (): ReportsStore => {
    if (!deps.reports) throw new CollectorError('store_unavailable', 'Reports are not configured')
    return deps.reports
  }

  app.get('/reports/reasons', async (c) => {
    const q = reasonsQuery(c.req.query(), deps.clock.now())
    if ('error' in q) throw bad(q.error)
    const report = await reports().reasonsReport(c.var.workspace.id, q)
    if (c.req.query('format') === 'csv')
      return c.body(reasonsCsv(report), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="reasons.csv"',
      })
    return c.json(report)
  })

  app.get('/reports/campaigns', async (c) => {
    const q = campaignsQuery(c.req.query(), deps.clock.now())
    if ('error' in q) throw bad(q.error)
    const ws = c.var.workspace.id
    const grades = (await deps.store.scoreGrades(ws)).map((g) => g.name)
    return c.json(await reports().campaignReport(ws, { ...q, grades }))
  })

  // Ad cost per campaign and day: JSON ({ "costs": [...] } or an array) or CSV with a header.
  app.post('/campaigns/costs', async (c) => {
    const text = await readRequestBody(c, COSTS_MAX_BYTES)
    const type = c.req.header('content-type') ?? ''
    let rows: unknown
    if (/text\/csv/i.test(type)) rows = parseCsv(text)
    else {
      const body = parseJson(text)
      rows =
        body && typeof body === 'object' && !Array.isArray(body)
          ? (body as Record<string, unknown>).costs
          : body
    }
    if (!Array.isArray(rows)) throw bad('Send { "costs": [ … ] }, a JSON array, or text/csv')
    const parsed = parseCosts(rows)
    if (!parsed.ok) throw bad('Invalid cost lines', parsed.issues)
    return c.json(await reports().importAdCosts(c.var.workspace.id, parsed.costs))
  })

  app.get('/campaigns/costs', async (c) => {
    const range = reportRange(c.req.query(), deps.clock.now(), 30)
    if ('error' in range) throw bad(range.error)
    const costs = await reports().listAdCosts(c.var.workspace.id, {
      from: range.from.toISOString().slice(0, 10),
      to: range.to.toISOString().slice(0, 10),
    })
    return c.json({ costs })
  })

  app.get('/quality/schedule', async (c) =>
    c.json(await reports().getQualitySchedule(c.var.workspace.id, deps.clock.now())),
  )
  // PATCH: only the settings sent change (the semantic of every settings endpoint, docs/lifecycle.md).
  app.patch('/quality/schedule', async (c) => {
    const body = parseJson(await readRequestBody(c, 16 * 1024))
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw bad('Send a JSON object with everyDays, enabled or thresholds')
    const problems = scheduleProblems(body as Record<string, unknown>)
    if (problems.length)
      throw bad(
        problems.join('; '),
        problems.map((message) => ({ code: 'invalid_schedule', message })),
      )
    return c.json(
      await reports().patchQualitySchedule(
        c.var.workspace.id,
        body as Record<string, never>,
        deps.clock.now(),
      ),
    )
  })
  app.get('/quality/scans', async (c) =>
    c.json({
      scans: await reports().qualityHistory(
        c.var.workspace.id,
        parseLimit(c.req.query('limit'), 100, 1000),
      ),
    }),
  )
  app.post('/quality/scans', async (c) =>
    c.json(await reports().runQualityScan(c.var.workspace.id, deps.clock.now()), 201),
  )

  app.get('/alerts', async (c) => {
    const q = c.req.query()
    if (q.open && q.open !== 'true' && q.open !== 'false') throw bad('open must be true or false')
    const alerts = await reports().listAlerts(c.var.workspace.id, {
      kind: q.kind || undefined,
      open: q.open ? q.open === 'true' : undefined,
      contactId: q.contactId && /^[0-9a-f-]{36}$/i.test(q.contactId) ? q.contactId : undefined,
      limit: parseLimit(q.limit, 100, 1000),
    })
    return c.json({ alerts })
  })
  app.post('/alerts/:id/acknowledge', async (c) => {
    const ok = await reports().acknowledgeAlert(
      c.var.workspace.id,
      c.req.param('id'),
      deps.clock.now(),
    )
    if (!ok) throw new CollectorError('not_found', 'No such alert')
    return c.json({ success: true })
  })
  return app
}
