// Who is signed in, and whether a form really came from our own page.
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Deps } from '../../deps.js'
import type { DashboardReads, Workspace } from '../../ports.js'
import { constantTimeEqual } from '../../keys.js'
import type { Locale } from '../i18n/index.js'
import type { Fmt } from '../views/intl.js'
import { csrfToken, newNonce, readSession, signSession, verifySession } from './session.js'

type SessionDeps = Deps<Pick<DashboardReads, 'dashboardSession'>>

export const SESSION_COOKIE = 'lodestone_session'
export const LOGIN_COOKIE = 'lodestone_login'
export const SESSION_TTL_MS = 12 * 3_600_000

export interface DashboardSession {
  workspace: Workspace
  /** The CSRF token every state-changing form of this session must carry. */
  csrf: string
}

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
export function isHttps(c: Context, deps: SessionDeps): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  return Boolean(deps.config.trustedProxyHeader) && c.req.header('x-forwarded-proto') === 'https'
}

const cookieOptions = (c: Context, deps: SessionDeps, maxAgeSeconds: number) => ({
  path: '/app',
  httpOnly: true,
  sameSite: 'Strict' as const,
  secure: isHttps(c, deps),
  maxAge: maxAgeSeconds,
})

/** Starts a session for the workspace: a signed cookie that never holds the key. */
export async function startSession(c: Context, deps: SessionDeps, workspaceId: string) {
  const found = await deps.store.dashboardSession(workspaceId)
  if (!found) return false
  const expiresAt = deps.clock.now().getTime() + SESSION_TTL_MS
  const token = await signSession(found.signingKey, { workspaceId, expiresAt, nonce: newNonce() })
  setCookie(c, SESSION_COOKIE, token, cookieOptions(c, deps, SESSION_TTL_MS / 1000))
  deleteCookie(c, LOGIN_COOKIE, { path: '/app' })
  return true
}

export function endSession(c: Context) {
  deleteCookie(c, SESSION_COOKIE, { path: '/app' })
}

/** The signed-in session, or null (missing, forged, expired, or the key was replaced). */
export async function currentSession(
  c: Context,
  deps: SessionDeps,
): Promise<DashboardSession | null> {
  const token = getCookie(c, SESSION_COOKIE)
  const claims = readSession(token)
  if (!claims) return null
  const found = await deps.store.dashboardSession(claims.workspaceId)
  if (!found) return null
  const ok = await verifySession(token, found.signingKey, deps.clock.now().getTime())
  if (!ok) return null
  return { workspace: found.workspace, csrf: await csrfToken(found.signingKey, ok.nonce) }
}

/** Pages need a session: without one, a page redirects to sign-in and anything else gets 401. */
export function requireSession(deps: SessionDeps): MiddlewareHandler<DashboardEnv> {
  return async function dashboardSession(c, next) {
    const session = await currentSession(c, deps)
    if (!session) {
      if (c.req.method === 'GET' && !c.req.path.endsWith('/stream')) {
        const back = c.req.path + (new URL(c.req.url).search || '')
        return c.redirect(`/app/login?next=${encodeURIComponent(back)}`, 303)
      }
      return c.json({ success: false, error: { code: 'unauthorized', message: 'Sign in' } }, 401)
    }
    c.set('session', session)
    await next()
  }
}

/** Every state-changing request carries the session's CSRF token (after requireSession). */
export function requireCsrf(): MiddlewareHandler<DashboardEnv> {
  return async function dashboardCsrf(c, next) {
    if (c.req.method !== 'POST') return next()
    const form = await c.req.parseBody()
    if (!csrfValid(c.var.session, form._csrf)) {
      return c.json(
        { success: false, error: { code: 'forbidden', message: 'Invalid CSRF token' } },
        403,
      )
    }
    await next()
  }
}

/** A form's CSRF token matches the session's (compared in constant time). */
export function csrfValid(session: DashboardSession, sent: unknown): boolean {
  return typeof sent === 'string' && constantTimeEqual(sent, session.csrf)
}

/** A random value for the sign-in form, doubled in a short-lived cookie (login CSRF). */
export function loginChallenge(c: Context, deps: SessionDeps): string {
  const value = newNonce()
  setCookie(c, LOGIN_COOKIE, value, cookieOptions(c, deps, 600))
  return value
}

export function loginChallengeValid(c: Context, sent: unknown): boolean {
  const expected = getCookie(c, LOGIN_COOKIE)
  return typeof sent === 'string' && !!expected && constantTimeEqual(sent, expected)
}
