import { Hono, type Context } from 'hono'
import { EXPORT_FORMATS, exportChunks, type ExportFormat } from '@lodestone/lifecycle'
import type { AppDeps } from '../deps.js'
import type { Workspace } from '../ports.js'
import { CollectorError } from '../errors.js'
import { parseJson, readRequestBody } from '../ingest/read-body.js'
import { publishOutcome } from '../segments/publish-outcome.js'
import type { Audience, MemberRefs } from '../lists/port.js'
import { exportResponse } from './export-response.js'
import { parseLimit } from './params.js'

type Env = { Variables: { workspace: Workspace } }

/** Most contacts one add/remove request may name (JSON array or CSV rows). */
export const MAX_MEMBER_REFS = 10_000

const bad = (message: string) => new CollectorError('bad_request', message)

/** `{"contactIds": […]}` or `{"emails": […]}`: strings, at most MAX_MEMBER_REFS. */
function refsFromJson(raw: string): MemberRefs {
  const b = parseJson(raw) as Record<string, unknown> | null
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw bad('Expected a JSON object')
  const keys = ['contactIds', 'emails'].filter((k) => Object.hasOwn(b, k))
  if (keys.length !== 1) throw bad('Give exactly one of contactIds or emails')
  const list = b[keys[0]!]
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || v.length > 320))
    throw bad(`${keys[0]} must be an array of strings`)
  if (list.length > MAX_MEMBER_REFS) throw bad(`At most ${MAX_MEMBER_REFS} per request`)
  return keys[0] === 'emails' ? { emails: list as string[] } : { contactIds: list as string[] }
}

/** One unquoted-or-quoted CSV cell (a cell with a comma means more than one column). */
function cell(s: string): string {
  const t = s.trim()
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"')
    ? t.slice(1, -1).replace(/""/g, '"')
    : t
}

/** A one-column CSV with the header `email` or `contactId`; blank lines are skipped. */
export function refsFromCsv(raw: string): MemberRefs {
  const lines = raw
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
  const header = cell(lines[0] ?? '')
  if (header !== 'email' && header !== 'contactId')
    throw bad('The CSV needs one column with the header email or contactId')
  const values = lines.slice(1).map(cell)
  if (values.length > MAX_MEMBER_REFS) throw bad(`At most ${MAX_MEMBER_REFS} rows per request`)
  const wide = values.findIndex((v) => v.includes(',') || v.length > 320)
  if (wide !== -1) throw bad(`Row ${wide + 2}: one value per row (the CSV has one column)`)
  return header === 'email' ? { emails: values } : { contactIds: values }
}

/**
 * Static lists (secret key) and streamed exports of a segment's or list's members:
 * docs/segments.md.
 */
export function listRoutes(deps: AppDeps) {
  const app = new Hono<Env>()
  const port = deps.lists
  if (!port) return app
  const notFound = () => new CollectorError('not_found', 'No such list')
  const ws = (c: Context<Env>) => c.var.workspace.id

  app.post('/lists', async (c) => {
    const b = parseJson(await readRequestBody(c)) as { name?: unknown } | null
    const name = typeof b?.name === 'string' ? b.name.trim() : ''
    if (!name || name.length > 200) throw bad('A name of 1 to 200 characters is required')
    return c.json(await port.createList(ws(c), name), 201)
  })
  app.get('/lists', async (c) => c.json({ lists: await port.listLists(ws(c)) }))
  app.get('/lists/:id', async (c) => {
    const list = await port.getList(ws(c), c.req.param('id'))
    if (!list) throw notFound()
    return c.json(list)
  })
  app.delete('/lists/:id', async (c) => {
    if (!(await port.deleteList(ws(c), c.req.param('id')))) throw notFound()
    return c.json({ success: true })
  })

  const change = (op: 'add' | 'remove') => async (c: Context<Env>) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    const raw = await readRequestBody(c)
    const refs = type === 'text/csv' ? refsFromCsv(raw) : refsFromJson(raw)
    const out = await port.changeMembers(ws(c), c.req.param('id')!, op, refs, deps.clock.now())
    if (!out) throw notFound()
    const { outcome } = out
    await publishOutcome(deps, outcome)
    return c.json({
      [op === 'add' ? 'added' : 'removed']: out.changed,
      [op === 'add' ? 'alreadyMembers' : 'notMembers']: out.unchanged,
      notFound: out.notFound.slice(0, 100),
      notFoundCount: out.notFound.length,
      segmentTransitions: outcome.transitions.length,
    })
  }
  app.post('/lists/:id/members', change('add'))
  app.delete('/lists/:id/members', change('remove'))
  app.get('/lists/:id/members', async (c) => {
    const page = await port.listMembers(ws(c), c.req.param('id'), {
      limit: parseLimit(c.req.query('limit')),
      cursor: c.req.query('cursor'),
      now: deps.clock.now(),
    })
    if (!page) throw notFound()
    return c.json(page)
  })

  const exportOf = (kind: Audience['kind']) => async (c: Context<Env>) => {
    const format = (c.req.query('format') ?? 'json') as ExportFormat
    if (!EXPORT_FORMATS.includes(format)) throw bad('format must be csv or json')
    const bom = c.req.query('bom')
    if (bom !== undefined && bom !== '0' && bom !== '1') throw bad('bom must be 0 or 1')
    const audience = { kind, id: c.req.param('id')! }
    if (!(await port.audienceExists(ws(c), audience)))
      throw new CollectorError('not_found', `No such ${kind}`)
    const now = deps.clock.now()
    const chunks = exportChunks(port.exportSource(audience, now), ws(c), format, now)
    return exportResponse(chunks, format, `${kind}-${audience.id}`, { bom: bom === '1' })
  }
  app.get('/segments/:id/export', exportOf('segment'))
  app.get('/lists/:id/export', exportOf('list'))
  return app
}
