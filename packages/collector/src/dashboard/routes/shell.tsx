import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import type { AppDeps } from '../../deps.js'
import { isHttps, type DashboardEnv } from '../auth/guard.js'
import { matchLocale } from '../i18n/index.js'
import { safeNext } from '../render.js'
import { LOCALE_COOKIE } from '../security.js'

const YEAR_SECONDS = 365 * 86_400

/**
 * The language switcher: remembers the person's choice in a cookie (works on the sign-in page
 * too) and goes back to the page they were on. Only a display preference, so a plain link.
 */
export function languageRoutes(deps: AppDeps) {
  const app = new Hono<DashboardEnv>()
  app.get('/lang', (c) => {
    const locale = matchLocale(c.req.query('to'))
    if (locale)
      setCookie(c, LOCALE_COOKIE, locale, {
        path: '/app',
        httpOnly: true,
        sameSite: 'Lax',
        secure: isHttps(c, deps),
        maxAge: YEAR_SECONDS,
      })
    return c.redirect(safeNext(c.req.query('next')), 303)
  })
  return app
}
