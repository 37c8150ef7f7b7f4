import { Hono, type Context } from 'hono'
import type { Deps } from '../deps.js'
import type { ContactStore, KeyLookup, Workspace } from '../ports.js'
import { exportResponse } from './export-response.js'
import { CollectorError } from '../errors.js'
import { parseJson, readRequestBody } from '../ingest/read-body.js'
import {
  EXPORT_FORMATS,
  exportChunks,
  PERIODS,
  periodRange,
  type ExportFormat,
  type Period,
} from '@lodestone/lifecycle'
import type { LifecycleSettings, LifecycleStore } from '../lifecycle/port.js'
import { contactRefFromPath, parseLimit } from './params.js'
import { auditChange } from '../audit/record.js'

type Env = { Variables: { workspace: Workspace } }

const SETTINGS_MAX_BYTES = 256 * 1024
const DAY = 86_400_000

type LifecycleDeps = Deps<LifecycleStore & KeyLookup & Pick<ContactStore, 'getContact'>>

const PARTS = {
  reasons: 'reasons',
  'alert-rules': 'alertRules',
  'traits-config': 'traitsConfig',
} as const satisfies Record<string, keyof LifecycleSettings>

/**
 * Lifecycle API (secret key): reason lists, alert rules and computed-trait settings; alerts on
 * a contact; the data-quality report; satisfaction and retention KPIs; the contact export.
 */
export function lifecycleRoutes(deps: LifecycleDeps) {
  const app = new Hono<Env>()
  const { store } = deps

  app.get('/lifecycle/settings', async (c) =>
    c.json(await store.getLifecycleSettings(c.var.workspace.id)),
  )
  for (const [path, key] of Object.entries(PARTS)) {
    app.get(`/lifecycle/${path}`, async (c) =>
      c.json({ [key]: (await store.getLifecycleSettings(c.var.workspace.id))[key] }),
    )
    // PUT and PATCH: reasons change kind by kind and the traits configuration setting by
    // setting (what is left out keeps its value); PUT on alert rules replaces the list, PATCH
    // replaces or adds rules by id (docs/lifecycle.md, "Settings: PATCH").
    for (const method of ['put', 'patch'] as const)
      app[method](`/lifecycle/${path}`, async (c) => {
        const body = parseJson(await readRequestBody(c, SETTINGS_MAX_BYTES))
        // Accept the bare value or `{ "<key>": value }`, the shape GET answers with.
        let value =
          body && typeof body === 'object' && !Array.isArray(body) && key in body
            ? (body as Record<string, unknown>)[key]
            : body
        const ws = c.var.workspace.id
        const current = await store.getLifecycleSettings(ws)
        const before = current[key]
        if (method === 'patch' && key === 'alertRules') {
          if (!Array.isArray(value))
            throw new CollectorError('bad_request', 'PATCH alert-rules takes a list of rules')
          const rules = current.alertRules
          const byId = new Map<unknown, unknown>(rules.map((r) => [r.id, r]))
          for (const r of value) byId.set((r as { id?: unknown })?.id, r)
          value = [...byId.values()]
        }
        // A LifecycleError (bad settings) answers 400 with its code (errors.ts, answerError).
        const saved = await store.putLifecycleSettings(ws, { [key]: value })
        auditChange(c, { target: path, before, after: saved[key] })
        return c.json({ [key]: saved[key], updatedAt: saved.updatedAt })
      })
  }

  app.post('/lifecycle/observed-lifespan', async (c) => {
    if (!deps.reports) throw new CollectorError('store_unavailable', 'Reports are not configured')
    return c.json(await deps.reports.refreshObservedLifespan(c.var.workspace.id, deps.clock.now()))
  })

  app.get('/contacts/export', async (c) => exportContacts(c, deps))

  app.get('/contacts/:ref/alerts', async (c) => {
    const ws = c.var.workspace.id
    const contact = await store.getContact(ws, contactRefFromPath(c.req.param('ref')))
    if (!contact) throw new CollectorError('not_found', 'No such contact')
    const alerts = await store.contactAlerts(ws, contact.id, parseLimit(c.req.query('limit')))
    return c.json({ contactId: contact.id, alerts })
  })

  app.get('/quality', async (c) => c.json(await store.qualityReport(c.var.workspace.id)))

  app.get('/kpis', async (c) => {
    const q = c.req.query()
    const period = (q.period ?? 'month') as Period
    if (!PERIODS.includes(period))
      throw new CollectorError('bad_request', `period must be one of ${PERIODS.join(', ')}`)
    const to = q.to ? new Date(q.to) : deps.clock.now()
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 365 * DAY)
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from > to)
      throw new CollectorError('bad_request', 'from and to must be ISO dates with from ≤ to')
    // periodRange refuses ranges with too many periods (a LifecycleError: a 400).
    periodRange(from.getTime(), to.getTime(), period)
    return c.json(await store.kpis(c.var.workspace.id, { from, to, period }))
  })
  return app
}

/** Streams every live contact with traits and scores, as CSV or JSON. */
async function exportContacts(c: Context<Env>, deps: LifecycleDeps) {
  const format = (c.req.query('format') ?? 'json') as ExportFormat
  if (!EXPORT_FORMATS.includes(format))
    throw new CollectorError('bad_request', 'format must be csv or json')
  const chunks = exportChunks(deps.store, c.var.workspace.id, format, deps.clock.now())
  return exportResponse(chunks, format, 'contacts')
}
