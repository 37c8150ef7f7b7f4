import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { matchLocale, negotiateLocale } from './i18n/index.js'
import { randomToken } from '../team/tokens.js'
import type { DashboardEnv } from './auth/guard.js'

/** The cookie holding a person's chosen dashboard language (`en` or `zh-CN`). */
export const LOCALE_COOKIE = 'lodestone_lang'

/**
 * Headers for every dashboard response: a strict CSP (inline style and script only with this
 * response's nonce, so an injected tag could not run even if escaping failed), no framing, no
 * referrer leaking contact ids, and no caching of pages full of personal data.
 */
export function securityHeaders(): MiddlewareHandler<DashboardEnv> {
  return async function dashboardHeaders(c, next) {
    const nonce = randomToken(18)
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
