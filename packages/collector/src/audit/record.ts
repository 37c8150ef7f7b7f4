// Writes the audit trail (docs/team.md). auth/authorize.ts records every successful change and
// export after the route answered; routes add before/after with `auditChange`, and sign-in code
// records its own entries with `recordAudit`.
import type { Context } from 'hono'
import type { AuditActor, TeamStore } from '../team/port.js'
import { actorOf, type Principal } from '../auth/principal.js'
import { clientIp } from '../middleware/client-ip.js'
import type { AppDeps } from '../deps.js'
import { hashKey } from '../keys.js'

/** Readable action names; any other route is recorded as `METHOD /path`. */
const ACTIONS: Record<string, string> = {
  'PUT /v1/scoring/rules': 'rules.update',
  'POST /app/rules': 'rules.update',
  'POST /v1/scoring/rescore': 'rules.rescore',
  'PUT /v1/lifecycle/reasons': 'settings.reasons.update',
  'PUT /v1/lifecycle/alert-rules': 'settings.alert-rules.update',
  'PUT /v1/lifecycle/traits-config': 'settings.traits-config.update',
  'PATCH /v1/lifecycle/reasons': 'settings.reasons.update',
  'PATCH /v1/lifecycle/alert-rules': 'settings.alert-rules.update',
  'PATCH /v1/lifecycle/traits-config': 'settings.traits-config.update',
  'POST /v1/webhooks': 'webhook.create',
  'DELETE /v1/webhooks/:id': 'webhook.delete',
  'GET /v1/contacts/:ref/export': 'contact.export',
  'GET /v1/contacts/export': 'contacts.export',
  'DELETE /v1/contacts/:ref': 'contact.erase',
  'POST /v1/keys': 'key.create',
  'POST /app/keys': 'key.create',
  'DELETE /v1/keys/:id': 'key.revoke',
  'POST /app/keys/:id/revoke': 'key.revoke',
  'POST /v1/keys/:id/rotate': 'key.rotate',
  'POST /app/keys/:id/rotate': 'key.rotate',
  'POST /v1/users': 'user.invite',
  'POST /app/team/invite': 'user.invite',
  'POST /app/team/:id/role': 'user.role',
  'POST /app/team/:id/reset': 'user.reset-link',
  'POST /app/team/:id/remove': 'user.remove',
  'POST /app/team/:id/sessions/revoke-all': 'session.revoke-all',
  'POST /app/team/:id/sessions/:sid/revoke': 'session.revoke',
  'POST /app/account/sessions/:id/revoke': 'session.revoke',
  'POST /app/logout': 'signout',
}

export const auditAction = (method: string, path: string) =>
  ACTIONS[`${method} ${path}`] ?? `${method} ${path}`

export interface AuditChange {
  target?: string | null
  before?: unknown
  after?: unknown
  detail?: Record<string, unknown>
}

/**
 * How the trail names a contact: a digest of its id, never the id or an identifier, so an
 * erasure leaves nothing in this append-only table that points at the person. Whoever knows the
 * id can still find its entries by computing the same digest.
 */
export async function contactTarget(workspaceId: string, contactId: string): Promise<string> {
  return `contact:${(await hashKey(`${workspaceId}:${contactId}`)).slice(0, 24)}`
}

/** What a route adds to its audit entry: the target it changed, and before/after for settings. */
export function auditChange(c: Context, change: AuditChange) {
  c.set('auditChange' as never, change as never)
}

export function readAuditChange(c: Context): AuditChange | undefined {
  return c.get('auditChange' as never) as AuditChange | undefined
}

/** Appends one entry for the request's principal (or an anonymous caller). */
export async function recordAudit(
  c: Context,
  deps: AppDeps & { team: TeamStore },
  entry: {
    workspaceId: string | null
    principal: Principal | null
    action: string
    target?: string | null
    actor?: AuditActor
  } & AuditChange,
) {
  await deps.team.appendAudit({
    workspaceId: entry.workspaceId,
    actor: entry.actor ?? actorOf(entry.principal),
    ip: clientIp(c, deps.config.trustedProxyHeader, deps.getConnectionIp),
    action: entry.action,
    target: entry.target ?? null,
    before: entry.before,
    after: entry.after,
    detail: entry.detail,
  })
}
