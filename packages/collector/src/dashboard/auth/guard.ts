// Who is signed in, and whether a form really came from our own page. Sessions live on the
// server (docs/team.md): the cookie holds a random token, the database its HMAC under the session
// secret; every request checks the row, so sign-out and revocation act on every process at once.
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppDeps, TeamDeps } from '../../deps.js'
import { recordAudit, type AuditChange } from '../../audit/record.js'
import type { User } from '../../team/port.js'
import type { UserPrincipal } from '../../auth/principal.js'
import { constantTimeEqual } from '../../keys.js'
import { CollectorError } from '../../errors.js'
import { clientIp } from '../../middleware/client-ip.js'
import { randomToken, sessionCsrf, sessionTokenHash } from '../../team/tokens.js'
import type { Locale } from '../i18n/index.js'
import type { Fmt } from '../views/intl.js'

export const SESSION_COOKIE = 'lodestone_session'
export const LOGIN_COOKIE = 'lodestone_login'
/** A session unused this long ends (idle expiry). */
export const SESSION_IDLE_MS = 12 * 3_600_000
/** No session lives longer than this, however busy (absolute expiry). */
export const SESSION_MAX_MS = 7 * 86_400_000

/** The signed-in person as the dashboard sees them. */
export type DashboardSession = UserPrincipal

export type DashboardEnv = {
  Variables: {
    session: DashboardSession
    nonce: string
    locale: Locale
    /** The reader's formatters: their language, the workspace's time zone. */
    fmt: Fmt
  }
}

/** Secure cookies whenever the dashboard is reached over https (directly or via a proxy). */
export function isHttps(c: Context, deps: AppDeps): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  return Boolean(deps.config.trustedProxyHeader) && c.req.header('x-forwarded-proto') === 'https'
}

// Path `/`: the API accepts a session too (a viewer's reads are masked there as well).
const cookieOptions = (c: Context, deps: AppDeps, maxAgeSeconds: number, path = '/') => ({
  path,
  httpOnly: true,
  sameSite: 'Strict' as const,
  secure: isHttps(c, deps),
  maxAge: maxAgeSeconds,
})

/** Starts a session for the user: a random token in the cookie, its HMAC in the database. */
export async function startSession(c: Context, deps: TeamDeps, user: User) {
  const token = randomToken()
  const now = deps.clock.now()
  await deps.team.createSession({
    tokenHash: await sessionTokenHash(deps.sessionSecret, token),
    userId: user.id,
    workspaceId: user.workspaceId,
    now,
    expiresAt: new Date(now.getTime() + SESSION_MAX_MS),
    userAgent: c.req.header('user-agent') ?? null,
    ip: clientIp(c, deps.config.trustedProxyHeader, deps.getConnectionIp),
  })
  setCookie(c, SESSION_COOKIE, token, cookieOptions(c, deps, SESSION_MAX_MS / 1000))
  deleteCookie(c, LOGIN_COOKIE, { path: '/app' })
}

/** Starts the user's session and audits it as the user's own `action` on themselves. */
export async function signIn(
  c: Context,
  deps: TeamDeps,
  user: User,
  action: string,
  detail?: AuditChange['detail'],
) {
  await startSession(c, deps, user)
  await recordAudit(c, deps, {
    workspaceId: user.workspaceId,
    principal: null,
    actor: { kind: 'user', id: user.id, label: user.email },
    action,
    target: user.id,
    ...(detail ? { detail } : {}),
  })
}

/** Revokes the session on the server and clears the cookie. */
export async function endSession(c: Context, deps: TeamDeps, session: DashboardSession) {
  await deps.team.revokeSession(session.workspace.id, session.session.id, deps.clock.now())
  deleteCookie(c, SESSION_COOKIE, { path: '/' })
}

/** The signed-in session, or null (missing, unknown, revoked, idle or expired). */
export async function currentSession(c: Context, deps: TeamDeps): Promise<DashboardSession | null> {
  const token = getCookie(c, SESSION_COOKIE)
  if (!token || token.length > 128) return null
  const found = await deps.team.activeSession(
    await sessionTokenHash(deps.sessionSecret, token),
    deps.clock.now(),
    SESSION_IDLE_MS,
  )
  if (!found) return null
  return {
    kind: 'user',
    user: found.user,
    role: found.user.role,
    session: found.session,
    workspace: found.workspace,
    csrf: await sessionCsrf(deps.sessionSecret, found.session.id),
  }
}

/**
 * A posted form that cannot be read (a multipart body without its boundary or with broken parts)
 * is a 400 page, not a 500: read once here, before any route, and kept by Hono for the route.
 */
export function readableForm(): MiddlewareHandler<DashboardEnv> {
  return async function dashboardForm(c, next) {
    if (c.req.method === 'POST') {
      try {
        await c.req.parseBody()
      } catch (cause) {
        throw new CollectorError('bad_request', 'The form could not be read', { cause })
      }
    }
    await next()
  }
}

/**
 * Every state-changing request carries the session's CSRF token (auth/authorize.ts set it); a
 * missing or wrong one is the dashboard's 403 page (routes/errors.tsx), like any refusal there.
 */
export function requireCsrf(): MiddlewareHandler<DashboardEnv> {
  return async function dashboardCsrf(c, next) {
    if (c.req.method !== 'POST') return next()
    const form = await c.req.parseBody()
    if (!c.var.session || !csrfValid(c.var.session, form._csrf))
      throw new CollectorError('forbidden', 'Invalid CSRF token')
    await next()
  }
}

/** A form's CSRF token matches the session's (compared in constant time). */
export function csrfValid(session: DashboardSession, sent: unknown): boolean {
  return typeof sent === 'string' && constantTimeEqual(sent, session.csrf)
}

/** A random value for the sign-in form, doubled in a short-lived cookie (login CSRF). */
export function loginChallenge(c: Context, deps: AppDeps): string {
  const value = randomToken(18)
  setCookie(c, LOGIN_COOKIE, value, cookieOptions(c, deps, 600, '/app'))
  return value
}

export function loginChallengeValid(c: Context, sent: unknown): boolean {
  const expected = getCookie(c, LOGIN_COOKIE)
  return typeof sent === 'string' && !!expected && constantTimeEqual(sent, expected)
}
