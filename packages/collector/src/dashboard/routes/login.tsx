/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { isSecretKey } from '../../keys.js'
import {
  loginChallenge,
  loginChallengeValid,
  startSession,
  type DashboardEnv,
} from '../auth/guard.js'
import { t } from '../i18n/index.js'
import { LoginPage } from '../pages/login.js'
import { render, safeNext, type Ctx } from '../render.js'

function loginForm(c: Ctx, deps: AppDeps, next: string, error?: string, status = 200) {
  return render(
    c,
    <LoginPage
      locale={c.var.locale}
      nonce={c.var.nonce}
      challenge={loginChallenge(c, deps)}
      next={next}
      error={error}
    />,
    status,
  )
}

/** Sign-in with the workspace secret key: the form, and the post that starts a session. */
export function loginRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  app.get('/login', (c) => loginForm(c, deps, safeNext(c.req.query('next'))))
  app.post('/login', async (c) => {
    const form = await c.req.parseBody()
    const next = safeNext(form.next)
    const l = c.var.locale
    if (!loginChallengeValid(c, form._login))
      return loginForm(c, deps, next, t(l, 'login.expired'), 403)
    const key = typeof form.key === 'string' ? form.key.trim() : ''
    const ws = isSecretKey(key) ? await deps.store.workspaceBySecretKey(key) : null
    if (!ws || !(await startSession(c, deps, ws.id)))
      return loginForm(c, deps, next, t(l, 'login.wrongKey'), 401)
    return c.redirect(next, 303)
  })
  return app
}
