import { Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import type { TeamDeps } from '../../deps.js'
import { currentSession, isHttps, type DashboardEnv } from '../auth/guard.js'
import { matchLocale } from '../i18n/index.js'
import { safeNext } from '../render.js'
import { LOCALE_COOKIE } from '../security.js'

const YEAR_SECONDS = 365 * 86_400

/**
 * The language switcher: remembers the person's choice in a cookie (works on the sign-in page
 * too) and, when they are signed in, on their user, so every device they sign in on follows it;
 * then goes back to the page they were on. `to=auto` forgets the choice (a null locale on the
 * user, no cookie): the browser's Accept-Language decides again. Only a display preference, so
 * a plain link: the session cookie is SameSite=Strict, so another site's link cannot change a
 * person's choice.
 */
export function languageRoutes(deps: TeamDeps) {
  const app = new Hono<DashboardEnv>()
  app.get('/lang', async (c) => {
    const to = c.req.query('to')
    const locale = to === 'auto' ? null : matchLocale(to)
    if (locale !== null || to === 'auto') {
      const session = await currentSession(c, deps)
      if (session)
        await deps.dashboardStore?.setUserLocale(session.workspace.id, session.user.id, locale)
      if (locale)
        setCookie(c, LOCALE_COOKIE, locale, {
          path: '/app',
          httpOnly: true,
          sameSite: 'Lax',
          secure: isHttps(c, deps),
          maxAge: YEAR_SECONDS,
        })
      else deleteCookie(c, LOCALE_COOKIE, { path: '/app', secure: isHttps(c, deps) })
    }
    return c.redirect(safeNext(c.req.query('next')), 303)
  })
  return app
}
