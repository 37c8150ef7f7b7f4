// The one permission table (docs/team.md prints it): every route of the app, API and dashboard,
// names the permission it needs; each permission names the roles and API-key scopes that hold it.
// A route missing here is refused with 403 and fails auth/permissions.test.ts.
// Adding a route = adding one line to ROUTES.
import type { Role, Scope } from '../team/port.js'

export type Permission =
  | 'public'
  | 'ingest'
  | 'signed-in'
  | 'read'
  | 'export'
  | 'rules'
  | 'settings'
  | 'erase'
  | 'audit'
  | 'team'

export interface PermissionGrant {
  /** Roles of signed-in people that hold it. */
  roles: readonly Role[]
  /** API-key scopes that hold it (`sk_` holds every scope, `wk_` only `write`). */
  scopes: readonly Scope[]
  /** What it allows, for docs/team.md. */
  summary: string
}

const ALL_ROLES = ['owner', 'admin', 'marketer', 'viewer'] as const

export const PERMISSIONS: Record<Permission, PermissionGrant> = {
  public: {
    roles: ALL_ROLES,
    scopes: ['write', 'server', 'read', 'admin'],
    summary: 'anyone, no credentials',
  },
  ingest: {
    roles: [],
    scopes: ['write', 'server'],
    summary: 'send events (`server`: lifecycle events too); the key may be in the body',
  },
  'signed-in': {
    roles: ALL_ROLES,
    scopes: [],
    summary: 'any signed-in person: own sessions, sign-out',
  },
  read: {
    roles: ALL_ROLES,
    scopes: ['read', 'admin'],
    summary: 'read contacts, scores, rules, settings, reports (viewers: personal data masked)',
  },
  export: { roles: ['owner', 'admin'], scopes: ['read', 'admin'], summary: 'export contacts' },
  rules: {
    roles: ['owner', 'admin', 'marketer'],
    scopes: ['admin'],
    summary: 'edit scoring rules, segments and lists; rescore',
  },
  settings: {
    roles: ['owner', 'admin'],
    scopes: ['admin'],
    summary: 'lifecycle settings, reasons, alert rules, webhooks',
  },
  erase: { roles: ['owner'], scopes: ['admin'], summary: 'erase contacts (GDPR)' },
  audit: { roles: ['owner', 'admin'], scopes: ['admin'], summary: 'read the audit trail' },
  team: {
    roles: ['owner'],
    scopes: ['admin'],
    summary: 'users, roles, invites, sessions, API keys',
  },
}

/** `METHOD /path` (as Hono registers it) → permission. */
export const ROUTES: Record<string, Permission> = {
  'GET /health': 'public',
  'GET /sdk.js': 'public',
  'GET /sdk.core.js': 'public',
  'GET /sdk-chat.js': 'public',
  'GET /sdk-segments.js': 'public',
  // Segment's Tracking API and its one-letter aliases.
  ...Object.fromEntries(
    ['batch', 'b', 'import', 'track', 't', 'page', 'p', 'screen', 's']
      .concat(['identify', 'i', 'group', 'g', 'alias', 'a'])
      .map((r) => [`POST /v1/${r}`, 'ingest' as const]),
  ),
  'GET /v1/contacts': 'read',
  'GET /v1/contacts/lookup': 'read',
  'GET /v1/contacts/:ref': 'read',
  'GET /v1/contacts/:ref/events': 'read',
  'GET /v1/contacts/:ref/alerts': 'read',
  'GET /v1/contacts/:ref/export': 'export',
  'GET /v1/contacts/export': 'export',
  'DELETE /v1/contacts/:ref': 'erase',
  'GET /v1/scoring/rules': 'read',
  'PUT /v1/scoring/rules': 'rules',
  'POST /v1/scoring/rescore': 'rules',
  'GET /v1/stream': 'read',
  'GET /v1/lifecycle/settings': 'read',
  'GET /v1/lifecycle/reasons': 'read',
  'PUT /v1/lifecycle/reasons': 'settings',
  'GET /v1/lifecycle/alert-rules': 'read',
  'PUT /v1/lifecycle/alert-rules': 'settings',
  'GET /v1/lifecycle/traits-config': 'read',
  'PUT /v1/lifecycle/traits-config': 'settings',
  'PATCH /v1/lifecycle/reasons': 'settings',
  'PATCH /v1/lifecycle/alert-rules': 'settings',
  'PATCH /v1/lifecycle/traits-config': 'settings',
  'POST /v1/lifecycle/observed-lifespan': 'settings',
  'GET /v1/quality': 'read',
  'GET /v1/kpis': 'read',
  'GET /v1/webhooks': 'read',
  'POST /v1/webhooks': 'settings',
  'DELETE /v1/webhooks/:id': 'settings',
  'GET /v1/webhooks/:id/deliveries': 'read',
  'GET /v1/keys': 'team',
  'POST /v1/keys': 'team',
  'DELETE /v1/keys/:id': 'team',
  'POST /v1/keys/:id/rotate': 'team',
  'GET /v1/users': 'team',
  'POST /v1/users': 'team',
  'GET /v1/audit': 'audit',
  'POST /v1/segments': 'rules',
  'POST /v1/segments/preview': 'rules',
  'GET /v1/segments': 'read',
  'GET /v1/segments/:id': 'read',
  'PUT /v1/segments/:id': 'rules',
  'DELETE /v1/segments/:id': 'rules',
  'GET /v1/segments/:id/members': 'read',
  'GET /v1/segments/:id/export': 'export',
  'POST /v1/lists': 'rules',
  'GET /v1/lists': 'read',
  'GET /v1/lists/:id': 'read',
  'DELETE /v1/lists/:id': 'rules',
  'POST /v1/lists/:id/members': 'rules',
  'DELETE /v1/lists/:id/members': 'rules',
  'GET /v1/lists/:id/members': 'read',
  'GET /v1/lists/:id/export': 'export',
  'GET /v1/accounts': 'read',
  'GET /v1/accounts/:ref': 'read',
  'POST /v1/accounts/merge': 'rules',
  'PUT /v1/accounts/settings': 'settings',
  // Public segment keys for on-site personalisation: any key with the write scope, as ingest
  // (the write key is public by design; secret keys are refused in the URL).
  'GET /v1/personalize/segments': 'ingest',
  'OPTIONS /v1/personalize/segments': 'public',
  'GET /v1/reports/reasons': 'read',
  'GET /v1/reports/campaigns': 'read',
  'POST /v1/campaigns/costs': 'settings',
  'GET /v1/campaigns/costs': 'read',
  'GET /v1/quality/schedule': 'read',
  'PATCH /v1/quality/schedule': 'settings',
  'GET /v1/quality/scans': 'read',
  'POST /v1/quality/scans': 'settings',
  'GET /v1/alerts': 'read',
  'POST /v1/alerts/:id/acknowledge': 'rules',
  // Dashboard.
  'GET /app/login': 'public',
  'GET /app/lang': 'public',
  'POST /app/login': 'public',
  'GET /app/invite/:token': 'public',
  'POST /app/invite/:token': 'public',
  'GET /app/oidc/start': 'public',
  'GET /app/oidc/callback': 'public',
  'POST /app/logout': 'signed-in',
  'GET /app/account': 'signed-in',
  'POST /app/account/sessions/:id/revoke': 'signed-in',
  'GET /app': 'read',
  'GET /app/contacts': 'read',
  'GET /app/contacts/:id': 'read',
  'GET /app/contacts/export.csv': 'export',
  'POST /app/contacts/views': 'rules',
  'POST /app/contacts/views/:id/delete': 'rules',
  'POST /app/contacts/erase': 'erase',
  'POST /app/contacts/add-to-list': 'rules',
  'GET /app/live': 'read',
  'GET /app/live/stream': 'read',
  'GET /app/rules': 'read',
  'POST /app/rules': 'rules',
  'POST /app/rules/builder': 'rules',
  'POST /app/rules/restore': 'rules',
  'GET /app/setup': 'read',
  'GET /app/setup/status': 'read',
  'POST /app/setup/key': 'team',
  'GET /app/settings': 'read',
  'GET /app/reports': 'read',
  'GET /app/reasons': 'read',
  'GET /app/reasons.csv': 'export',
  'GET /app/campaigns': 'read',
  'POST /app/campaigns/costs': 'settings',
  'GET /app/quality/history': 'read',
  'POST /app/quality/scan': 'settings',
  'GET /app/alerts': 'read',
  'POST /app/alerts/:id/acknowledge': 'rules',
  'POST /app/settings': 'settings',
  'GET /app/quality': 'read',
  'GET /app/kpis': 'read',
  'GET /app/team': 'team',
  'POST /app/team/invite': 'team',
  'GET /app/team/:id': 'team',
  'POST /app/team/:id/role': 'team',
  'POST /app/team/:id/reset': 'team',
  'POST /app/team/:id/remove': 'team',
  'POST /app/team/:id/sessions/revoke-all': 'team',
  'POST /app/team/:id/sessions/:sid/revoke': 'team',
  'GET /app/keys': 'team',
  'POST /app/keys': 'team',
  'POST /app/keys/:id/rotate': 'team',
  'POST /app/keys/:id/revoke': 'team',
  'GET /app/audit': 'audit',
  'GET /app/segments': 'read',
  'GET /app/segments/new': 'rules',
  'GET /app/segments/preview': 'rules',
  'POST /app/segments/builder': 'rules',
  'GET /app/segments/:id': 'read',
  'GET /app/segments/:id/edit': 'rules',
  'POST /app/segments/:id/browser': 'rules',
  'POST /app/segments/:id/delete': 'rules',
  'GET /app/accounts': 'read',
  'GET /app/accounts/:id': 'read',
  // Any other dashboard path: a 404 page for a signed-in person, sign-in for anyone else.
  'GET /app/*': 'signed-in',
}

/** The permission a route needs; undefined when the table does not list it. */
export function permissionOf(method: string, path: string): Permission | undefined {
  return Object.hasOwn(ROUTES, `${method} ${path}`) ? ROUTES[`${method} ${path}`] : undefined
}

export function roleHolds(role: Role, permission: Permission): boolean {
  return PERMISSIONS[permission].roles.includes(role)
}

export function scopesHold(scopes: readonly Scope[], permission: Permission): boolean {
  return PERMISSIONS[permission].scopes.some((s) => scopes.includes(s))
}

/** docs/team.md's tables, generated from the code above (auth/permissions.test.ts compares). */
export function permissionDoc(): string {
  const roles = ALL_ROLES
  const lines = [
    `| permission | ${roles.join(' | ')} | key scopes | allows |`,
    `| --- | ${roles.map(() => ':-:').join(' | ')} | --- | --- |`,
  ]
  for (const [name, g] of Object.entries(PERMISSIONS) as [Permission, PermissionGrant][]) {
    const cells = roles.map((r) => (g.roles.includes(r) ? '✓' : ''))
    lines.push(
      `| \`${name}\` | ${cells.join(' | ')} | ${g.scopes.map((s) => `\`${s}\``).join(', ') || '–'} | ${g.summary} |`,
    )
  }
  lines.push('', '| route | permission |', '| --- | --- |')
  for (const [route, p] of Object.entries(ROUTES)) lines.push(`| \`${route}\` | \`${p}\` |`)
  return lines.join('\n')
}
