import { stream } from 'hono/streaming'
import type { AppDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import type { ContactSummary } from '../../ports.js'
import { readFilters, toStoreQuery } from '../contacts-query.js'
import { permitted } from '../permissions.js'
import type { Ctx } from '../render.js'
import { companyName, contactLabel, traitText } from '../views/format.js'

const BATCH = 1000
const MAX_ROWS = 1_000_000
const BOM = '\uFEFF'

/** A CSV field: quoted when needed, and a leading = + - @ neutralised (formula injection). */
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : traitText(v)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

const COLUMNS = [
  'id',
  'name',
  'email',
  'company',
  'grade',
  'score',
  'fit',
  'engagement',
  'lifetimeValue',
  'churnRisk',
  'ticketsOpen',
  'firstSeen',
  'lastSeen',
] as const

function row(c: ContactSummary): string {
  const s = c.score as { total: number; fit: number; engagement: number; grade: string | null }
  const t = c.traits
  return [
    c.id,
    contactLabel(t, c.id),
    t.email,
    companyName(t),
    s.grade,
    s.total,
    s.fit,
    s.engagement,
    t.lifetimeValue,
    t.churnRisk,
    t.ticketsOpen,
    c.firstSeen,
    c.lastSeen,
  ]
    .map(csvField)
    .join(',')
}

/**
 * Every contact matching the page's filters as CSV (UTF-8; `bom=1` adds the byte-order mark
 * Excel needs to read Chinese), in the page's order, streamed page by page.
 */
export async function contactsCsv(c: Ctx, deps: AppDeps) {
  if (!permitted(c, 'contacts.export')) throw new CollectorError('forbidden', 'Not allowed')
  const { query, invalid } = toStoreQuery(readFilters(c.req.query()), deps.clock.now())
  if (invalid.length) throw new CollectorError('bad_request', 'Invalid filter')
  const ws = c.var.session.workspace.id
  const bom = c.req.query('bom') === '1'
  // The first page is read before answering: a filter the store refuses (a NUL, …) or an
  // outage is an error page, not a 200 file cut off after its header row.
  let page = await deps.store.searchContacts(ws, { ...query, limit: BATCH })
  c.header('Content-Type', 'text/csv; charset=utf-8')
  c.header('Content-Disposition', 'attachment; filename="contacts.csv"')
  return stream(c, async (out) => {
    await out.write(`${bom ? BOM : ''}${COLUMNS.join(',')}\r\n`)
    let rows = 0
    for (;;) {
      if (page.contacts.length) await out.write(page.contacts.map(row).join('\r\n') + '\r\n')
      rows += page.contacts.length
      const cursor = page.next ?? undefined
      if (!cursor || rows >= MAX_ROWS || out.aborted) break
      page = await deps.store.searchContacts(ws, { ...query, limit: BATCH, cursor })
    }
  })
}
