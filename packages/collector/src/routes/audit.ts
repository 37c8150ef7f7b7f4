import { Hono } from 'hono'
import type { Workspace } from '../ports.js'
import type { TeamDeps } from '../deps.js'
import { CollectorError } from '../errors.js'
import type { AuditQuery } from '../team/port.js'
import { parseLimit } from './params.js'

type Env = { Variables: { workspace: Workspace } }

/** Audit filters from a query string (shared with the Audit page). */
export function auditQuery(q: Record<string, string>): AuditQuery {
  const date = (v: string | undefined, name: string) => {
    if (!v) return undefined
    const d = new Date(v)
    if (Number.isNaN(d.getTime())) throw new CollectorError('bad_request', `${name} must be a date`)
    return d
  }
  const text = (v: string | undefined) => (v ?? '').trim().slice(0, 200) || undefined
  return {
    limit: parseLimit(q.limit, 50, 500),
    cursor: q.cursor || undefined,
    action: text(q.action),
    actorId: text(q.actor),
    from: date(q.from, 'from'),
    to: date(q.to, 'to'),
  }
}

/** The audit trail, newest first, one keyset page at a time. Nothing edits or deletes it. */
export function auditRoutes(deps: TeamDeps) {
  const app = new Hono<Env>()
  app.get('/audit', async (c) =>
    c.json(await deps.team.listAudit(c.var.workspace.id, auditQuery(c.req.query()))),
  )
  return app
}
