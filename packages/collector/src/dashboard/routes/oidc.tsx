/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// Sign-in with the company's identity provider (docs/team.md): /app/oidc/start sends the browser
// to the provider; /app/oidc/callback checks the answer (openid-client), finds or creates the
// member by e-mail, and starts a session. 404 when OpenID Connect is not configured.
import { Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { TeamDeps } from '../../deps.js'
import { CollectorError } from '../../errors.js'
import { constantTimeEqual } from '../../keys.js'
import { recordAudit } from '../../audit/record.js'
import { hmac } from '../../team/tokens.js'
import { decodeBase64Url, encodeBase64Url } from '../../base64url.js'
import { createOidcFlow, type OidcState } from '../../team/oidc.js'
import type { User } from '../../team/port.js'
import { isHttps, signIn, type DashboardEnv } from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { render, safeNext, type Ctx } from '../render.js'
import { Layout } from '../views/layout.js'

const STATE_COOKIE = 'lodestone_oidc'

/** The flow's secrets ride in a cookie signed with the session secret, for ten minutes. */
async function sealState(deps: TeamDeps, value: OidcState & { next: string }) {
  const body = encodeBase64Url(new TextEncoder().encode(JSON.stringify(value)))
  return `${body}.${await hmac(deps.sessionSecret, 'oidc', body)}`
}

async function openState(deps: TeamDeps, sealed: string | undefined) {
  const [body, mac] = (sealed ?? '').split('.')
  if (!body || !mac || !constantTimeEqual(mac, await hmac(deps.sessionSecret, 'oidc', body)))
    return null
  return JSON.parse(new TextDecoder().decode(decodeBase64Url(body))) as OidcState & { next: string }
}

/** The member this e-mail names, or a new one in the configured workspace with the default role. */
async function memberFor(deps: TeamDeps, email: string): Promise<User> {
  const known = await deps.team.usersByEmail(email)
  if (known[0]) return known[0]
  const cfg = deps.oidc!
  const workspaceId = cfg.workspaceId ?? (await deps.store.listWorkspaces())[0]?.id
  if (!workspaceId) throw new CollectorError('forbidden', 'No workspace to join')
  return deps.team.createUser(workspaceId, { email, role: cfg.defaultRole ?? 'viewer' })
}

export function oidcRoutes(deps: TeamDeps) {
  const app = new Hono<DashboardEnv>()
  const flow = deps.oidc ? createOidcFlow(deps.oidc) : null
  const cookie = (c: Ctx) => ({
    path: '/app/oidc',
    httpOnly: true,
    // Lax: the provider sends the browser back with a cross-site top-level GET.
    sameSite: 'Lax' as const,
    secure: isHttps(c, deps),
    maxAge: 600,
  })

  app.get('/oidc/start', async (c) => {
    if (!flow) throw new CollectorError('not_found', 'OpenID Connect is not configured')
    const base = deps.publicUrl ?? new URL(c.req.url).origin
    const { url, state } = await flow.start(`${base}/app/oidc/callback`)
    const next = safeNext(c.req.query('next'))
    setCookie(c, STATE_COOKIE, await sealState(deps, { ...state, next }), cookie(c))
    return c.redirect(url, 302)
  })

  app.get('/oidc/callback', async (c) => {
    if (!flow) throw new CollectorError('not_found', 'OpenID Connect is not configured')
    const state = await openState(deps, getCookie(c, STATE_COOKIE))
    deleteCookie(c, STATE_COOKIE, { path: '/app/oidc' })
    if (!state) throw new CollectorError('bad_request', 'The sign-in expired; start again')
    const callback = new URL(state.redirectUri)
    callback.search = new URL(c.req.url).search
    const who = await flow.finish(callback, state).catch(() => null)
    if (!who) {
      await recordAudit(c, deps, {
        workspaceId: null,
        principal: null,
        action: 'signin.failed',
        detail: { reason: 'oidc' },
      })
      throw new CollectorError(
        'forbidden',
        'The identity provider did not vouch for an allowed e-mail',
      )
    }
    const user = await memberFor(deps, who.email)
    await signIn(c, deps, user, 'signin', { method: 'oidc', issuer: deps.oidc!.issuer })
    // A page, not a redirect: a Strict session cookie is not sent on a redirect chain that
    // began on the provider's site, but is on this same-site navigation.
    const l = c.var.locale
    return render(
      c,
      <Layout title={t(l, 'login.title')} locale={l} nonce={c.var.nonce}>
        <meta http-equiv="refresh" content={`0;url=${state.next}`} />
        <p>
          <a href={state.next}>{t(l, 'login.continue')}</a>
        </p>
      </Layout>,
    )
  })
  return app
}
