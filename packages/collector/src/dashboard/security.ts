import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { NONCE, secureHeaders } from 'hono/secure-headers'
import { matchLocale, negotiateLocale, type Locale } from './i18n/index.js'
import type { DashboardEnv } from './auth/guard.js'
import type { AppDeps } from '../deps.js'
import { fmtFor } from './views/intl.js'

/** The cookie holding a person's chosen dashboard language (`en` or `zh-CN`). */
export const LOCALE_COOKIE = 'lodestone_lang'

/**
 * Headers for every dashboard response (hono/secure-headers): a strict CSP (inline style and
 * script only with this response's nonce, so an injected tag could not run even if escaping
 * failed), no framing, no referrer leaking contact ids, and no caching of pages full of personal
 * data. No HSTS: whether the dashboard is served over TLS is the operator's proxy's business.
 */
export function securityHeaders(): MiddlewareHandler<DashboardEnv>[] {
  return [
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: [NONCE],
        styleSrc: [NONCE],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
      xFrameOptions: 'DENY',
      strictTransportSecurity: false,
    }),
    async function dashboardContext(c, next) {
      // The nonce secureHeaders put in the CSP, under the name the pages read.
      c.set('nonce', c.get('secureHeadersNonce') as string)
      // The choice made on this browser (cookie) wins over Accept-Language; once signed in,
      // the choice kept on the person's user wins over both (readerFormats below).
      c.set(
        'locale',
        matchLocale(getCookie(c, LOCALE_COOKIE)) ??
          negotiateLocale(c.req.header('accept-language')),
      )
      await next()
      c.header('Cache-Control', 'no-store')
    },
  ]
}

/**
 * The language this person chose, or null when they follow their browser (Accept-Language):
 * the choice kept on their user once signed in, else this browser's cookie (as the page's
 * language is picked: securityHeaders, readerFormats).
 */
export function localeChoice(c: Context<DashboardEnv>): Locale | null {
  return matchLocale(c.var.session?.user?.locale) ?? matchLocale(getCookie(c, LOCALE_COOKIE))
}

/**
 * After sign-in: the language the person chose (kept on their user, so it follows them to every
 * device) over the browser's, and their formatters in the workspace's time zone (Settings page).
 */
export function readerFormats(deps: AppDeps): MiddlewareHandler<DashboardEnv> {
  return async function dashboardFormats(c, next) {
    // No session: a method no dashboard route has (PUT /app/login, …) reaches here unchecked by
    // auth/authorize.ts, and goes on to the 404.
    if (!c.var.session) return next()
    const chosen = matchLocale(c.var.session.user?.locale)
    if (chosen) c.set('locale', chosen)
    const settings = await deps.dashboardStore?.settings(c.var.session.workspace.id)
    c.set('fmt', fmtFor(c.var.locale, settings?.timeZone ?? 'UTC'))
    await next()
  }
}
