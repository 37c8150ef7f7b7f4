import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { matchLocale, negotiateLocale } from './i18n/index.js'
import { newNonce } from './auth/session.js'
import type { DashboardEnv } from './auth/guard.js'
import type { AppDeps } from '../deps.js'
import { fmtFor } from './views/intl.js'

/** The cookie holding a person's chosen dashboard language (`en` or `zh-CN`). */
export const LOCALE_COOKIE = 'lodestone_lang'

/**
 * Headers for every dashboard response: a strict CSP (inline style and script only with this
 * response's nonce, so an injected tag could not run even if escaping failed), no framing, no
 * referrer leaking contact ids, and no caching of pages full of personal data.
 */
export function securityHeaders(): MiddlewareHandler<DashboardEnv> {
  return async function dashboardHeaders(c, next) {
    const nonce = newNonce()
    c.set('nonce', nonce)
    // The person's choice (cookie) wins over the browser's Accept-Language.
    c.set(
      'locale',
      matchLocale(getCookie(c, LOCALE_COOKIE)) ?? negotiateLocale(c.req.header('accept-language')),
    )
    await next()
    c.header(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; ` +
        `img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; ` +
        `frame-ancestors 'none'`,
    )
    c.header('X-Frame-Options', 'DENY')
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('Cache-Control', 'no-store')
  }
}

/** After sign-in: the reader's formatters, in the workspace's time zone (Settings page). */
export function readerFormats(deps: AppDeps): MiddlewareHandler<DashboardEnv> {
  return async function dashboardFormats(c, next) {
    const settings = await deps.dashboardStore?.settings(c.var.session.workspace.id)
    c.set('fmt', fmtFor(c.var.locale, settings?.timeZone ?? 'UTC'))
    await next()
  }
}
