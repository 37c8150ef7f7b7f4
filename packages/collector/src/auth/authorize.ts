// The one guard for /v1 and /app: finds the route that will answer, looks up its permission in
// auth/permissions.ts, identifies the caller (an API key, or on /app and for API reads a session
// cookie), refuses what the caller's role or scopes do not hold, masks personal data for viewers,
// and records changes and exports in the audit trail.
import type { Context, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import { getCookie } from 'hono/cookie'
import { CollectorError } from '../errors.js'
import { constantTimeEqual } from '../keys.js'
import { credentialsFromHeader } from '../middleware/auth.js'
import { currentSession } from '../dashboard/auth/guard.js'
import type { TeamDeps } from '../deps.js'
import { matchLocale, negotiateLocale, t } from '../dashboard/i18n/index.js'
import { LOCALE_COOKIE } from '../dashboard/security.js'
import { auditAction, readAuditChange, recordAudit } from '../audit/record.js'
import type { KeyResolver } from './key-resolver.js'
import { maskResponse } from './mask.js'
import { permissionOf, roleHolds, scopesHold, type Permission } from './permissions.js'
import type { Principal } from './principal.js'

/** The CSRF header an API call authenticated by a session cookie must carry to change anything. */
export const CSRF_HEADER = 'x-csrf-token'

const isDashboard = (path: string) => path === '/app' || path.startsWith('/app/')

/** The route that will answer: the first matched handler that is not middleware. */
function answeringRoute(c: Context) {
  return matchedRoutes(c).find((r) => r.method !== 'ALL')
}

async function identify(c: Context, deps: TeamDeps, keys: KeyResolver, app: boolean) {
  if (!app) {
    const creds = credentialsFromHeader(c.req.header('authorization'))
    if (creds) {
      const found = await keys(creds.key)
      if (!found) throw new CollectorError('unauthorized', `Unknown ${creds.kind} key`)
      return found
    }
  }
  return currentSession(c, deps)
}

function holds(p: Principal, permission: Permission) {
  return p.kind === 'key' ? scopesHold(p.scopes, permission) : roleHolds(p.role, permission)
}

/**
 * A refused dashboard request's page. This middleware runs before the dashboard's own (nonce,
 * stylesheet, shell), so the page is bare; it is in the language the person keeps on their
 * account when signed in (403), else their cookie's or browser's. 401: a form posted after the
 * session ended, with a sign-in link; 403: the role lacks the permission.
 */
function refusalPage(c: Context, status: 401 | 403, principal?: Principal) {
  const locale =
    matchLocale(principal?.kind === 'user' ? principal.user.locale : undefined) ??
    matchLocale(getCookie(c, LOCALE_COOKIE)) ??
    negotiateLocale(c.req.header('accept-language'))
  const [body, href, link] =
    status === 403
      ? (['team.forbidden', '/app', 'team.backToDashboard'] as const)
      : (['error.401.body', '/app/login', 'login.title'] as const)
  return c.html(
    `<!doctype html><html lang="${locale}"><title>${status} · Lodestone</title><p>${t(locale, body)}</p><p><a href="${href}">${t(locale, link)}</a></p>`,
    status,
  )
}

function refuse(
  c: Context,
  app: boolean,
  status: 401 | 403,
  message: string,
  principal?: Principal,
) {
  if (app) return refusalPage(c, status, principal)
  const code = status === 401 ? 'unauthorized' : 'forbidden'
  return c.json({ success: false, error: { code, message } }, status)
}

/** Every /v1 and /app request passes here first (mounted in app.ts). */
export function authorize(deps: TeamDeps, keys: KeyResolver): MiddlewareHandler {
  return async function authorizeRoute(c, next) {
    const route = answeringRoute(c)
    if (!route) return next() // no such route: the 404 handler answers
    const permission = permissionOf(route.method, route.path)
    const app = isDashboard(route.path)
    if (!permission) {
      deps.log?.('route without a permission entry', { route: `${route.method} ${route.path}` })
      return refuse(c, app, 403, 'This route has no entry in the permission table')
    }
    if (permission === 'public' || permission === 'ingest') return next()
    const principal = await identify(c, deps, keys, app)
    if (!principal) {
      if (app && c.req.method === 'GET' && !c.req.path.endsWith('/stream')) {
        const back = c.req.path + (new URL(c.req.url).search || '')
        return c.redirect(`/app/login?next=${encodeURIComponent(back)}`, 303)
      }
      return refuse(c, app, 401, app ? 'Sign in' : 'Missing write key or secret key')
    }
    if (!holds(principal, permission))
      return refuse(c, app, 403, `This needs the ${permission} permission`, principal)
    // A session cookie on the API changes things only with the session's CSRF token.
    if (!app && principal.kind === 'user' && c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const sent = c.req.header(CSRF_HEADER)
      if (!sent || !constantTimeEqual(sent, principal.csrf))
        return refuse(c, app, 403, 'Invalid CSRF token')
    }
    c.set('principal' as never, principal as never)
    c.set('workspace' as never, principal.workspace as never)
    if (app && principal.kind === 'user') c.set('session' as never, principal as never)
    await next()
    if (principal.kind === 'user' && principal.role === 'viewer' && c.res)
      c.res = await maskResponse(c.res)
    const changed = c.req.method !== 'GET' && c.req.method !== 'HEAD'
    if ((changed || permission === 'export') && c.res && c.res.status < 400) {
      const change = readAuditChange(c)
      // Path ids only: a contact named by e-mail (`email:…`) must not outlive its erasure here.
      const params = Object.values(c.req.param() as Record<string, string>).filter((v) =>
        /^[\w-]{1,64}$/.test(v),
      )
      await recordAudit(c, deps, {
        workspaceId: principal.workspace.id,
        principal,
        action: auditAction(route.method, route.path),
        target: change?.target ?? (params.length ? params.join(' ') : null),
        ...change,
      })
    }
  }
}
