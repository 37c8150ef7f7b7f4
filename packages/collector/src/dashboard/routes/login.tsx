/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// Public dashboard routes: sign-in (e-mail + password, throttled per account and per address,
// every failure audited) and the invite / reset link that sets a password (docs/team.md).
import { Hono } from 'hono'
import { loginChallenge, loginChallengeValid, signIn, type DashboardEnv } from '../auth/guard.js'
import type { TeamDeps } from '../../deps.js'
import { LoginPage, InvitePage } from '../pages/login.js'
import { render, safeNext, type Ctx } from '../render.js'
import { localeChoice } from '../security.js'
import { t } from '../i18n/index.js'
import { hashKey } from '../../keys.js'
import { clientIp } from '../../middleware/client-ip.js'
import { createRateLimiter } from '../../hot-state/rate-limit.js'
import { recordAudit } from '../../audit/record.js'
import { maskEmail } from '../../auth/mask.js'
import {
  DUMMY_HASH,
  hashPassword,
  MIN_PASSWORD,
  passwordProblem,
  verifyPassword,
} from '../../team/password.js'
import { inviteTokenHash } from '../../team/tokens.js'
import type { User } from '../../team/port.js'

/** Attempts per 15 minutes: per e-mail address, and per client address. */
export const SIGN_IN_LIMITS = { perAccount: 10, perIp: 100, windowSeconds: 900 }

/** Off without hot state (tests that do not pass one); the Node and Workers entries pass one. */
function createSignInThrottle(deps: TeamDeps) {
  const hot = deps.hot
  if (!hot) return async () => 0
  const opts = { windowSeconds: SIGN_IN_LIMITS.windowSeconds, clock: deps.clock }
  const perAccount = createRateLimiter(hot, {
    ...opts,
    limit: SIGN_IN_LIMITS.perAccount,
    prefix: 'signin:a:',
  })
  const perIp = createRateLimiter(hot, {
    ...opts,
    limit: SIGN_IN_LIMITS.perIp,
    prefix: 'signin:ip:',
  })
  /** Seconds to wait, or 0 when this attempt may go ahead. */
  return async (email: string, ip: string | null) => {
    const [a, b] = await Promise.all([
      perAccount.check(await hashKey(email)),
      perIp.check(ip ?? 'unknown'),
    ])
    return Math.max(a.retryAfterSeconds, b.retryAfterSeconds)
  }
}

/** The user whose password matches, or null; always pays one scrypt so timing tells nothing. */
async function checkPassword(deps: TeamDeps, email: string, password: string) {
  const candidates = await deps.team.usersByEmail(email)
  for (const u of candidates)
    if (u.passwordHash && (await verifyPassword(password, u.passwordHash)))
      return { user: u as User, candidates }
  if (candidates.length === 0) await verifyPassword(password, DUMMY_HASH)
  return { user: null, candidates }
}

async function auditFailure(
  c: Ctx,
  deps: TeamDeps,
  email: string,
  candidates: User[],
  reason: string,
) {
  const workspaces = candidates.length ? candidates : [null]
  for (const u of workspaces)
    await recordAudit(c, deps, {
      workspaceId: u?.workspaceId ?? null,
      principal: null,
      actor: { kind: 'anonymous', id: u?.id ?? null, label: u ? u.email : maskEmail(email) },
      action: 'signin.failed',
      target: u?.id ?? null,
      detail: { reason },
    })
}

/** Sign-in and the invite / reset link's page: public, before the session and CSRF checks. */
export function loginRoutes(deps: TeamDeps) {
  const app = new Hono<DashboardEnv>()
  const throttle = createSignInThrottle(deps)
  const loginPage = (
    c: Ctx,
    next: string,
    extra: { error?: string; email?: string } = {},
    status = 200,
  ) =>
    render(
      c,
      <LoginPage
        nonce={c.var.nonce}
        locale={c.var.locale}
        chosen={localeChoice(c)}
        challenge={loginChallenge(c, deps)}
        next={next}
        oidc={Boolean(deps.oidc)}
        {...extra}
      />,
      status,
    )

  app.get('/login', (c) => loginPage(c, safeNext(c.req.query('next'))))

  app.post('/login', async (c) => {
    const form = await c.req.parseBody()
    const next = safeNext(form.next)
    const l = c.var.locale
    if (!loginChallengeValid(c, form._login))
      return loginPage(c, next, { error: t(l, 'login.expired') }, 403)
    const email =
      typeof form.email === 'string' ? form.email.trim().toLowerCase().slice(0, 320) : ''
    const password = typeof form.password === 'string' ? form.password : ''
    const wait = await throttle(
      email,
      clientIp(c, deps.config.trustedProxyHeader, deps.getConnectionIp),
    )
    if (wait > 0) {
      await auditFailure(c, deps, email, await deps.team.usersByEmail(email), 'throttled')
      c.header('Retry-After', String(wait))
      return loginPage(c, next, { email, error: t(l, 'login.throttled', { seconds: wait }) }, 429)
    }
    const { user, candidates } = await checkPassword(deps, email, password)
    if (!user) {
      await auditFailure(c, deps, email, candidates, 'invalid')
      return loginPage(c, next, { email, error: t(l, 'login.invalid') }, 401)
    }
    await signIn(c, deps, user, 'signin')
    return c.redirect(next, 303)
  })

  const invitePage = (
    c: Ctx,
    extra: Parameters<typeof InvitePage>[0] extends infer P ? Partial<P> : never,
    status = 200,
  ) => render(c, <InvitePage nonce={c.var.nonce} locale={c.var.locale} {...extra} />, status)

  app.get('/invite/:token', async (c) => {
    const token = c.req.param('token')
    const found = await deps.team.userToken(await inviteTokenHash(token), deps.clock.now(), false)
    if (!found) return invitePage(c, { error: t(c.var.locale, 'login.invite.gone') }, 404)
    return invitePage(c, {
      email: found.user.email,
      action: `/app/invite/${token}`,
      challenge: loginChallenge(c, deps),
    })
  })

  app.post('/invite/:token', async (c) => {
    const token = c.req.param('token')
    const l = c.var.locale
    const form = await c.req.parseBody()
    const hash = await inviteTokenHash(token)
    const peek = await deps.team.userToken(hash, deps.clock.now(), false)
    if (!peek) return invitePage(c, { error: t(l, 'login.invite.gone') }, 404)
    const again = (error: string, status: number) =>
      invitePage(
        c,
        {
          email: peek.user.email,
          action: `/app/invite/${token}`,
          challenge: loginChallenge(c, deps),
          error,
        },
        status,
      )
    if (!loginChallengeValid(c, form._login)) return again(t(l, 'login.expired'), 403)
    const password = typeof form.password === 'string' ? form.password : ''
    const problem = passwordProblem(password)
    if (problem) return again(t(l, `login.invite.${problem}`, { min: MIN_PASSWORD }), 400)
    const passwordHash = await hashPassword(password)
    const used = await deps.team.userToken(hash, deps.clock.now(), true)
    if (!used) return invitePage(c, { error: t(l, 'login.invite.gone') }, 404)
    await deps.team.setPassword(used.user.id, passwordHash)
    await signIn(
      c,
      deps,
      used.user,
      used.purpose === 'invite' ? 'user.joined' : 'user.password-reset',
    )
    return c.redirect('/app', 303)
  })
  return app
}
