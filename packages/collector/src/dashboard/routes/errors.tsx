/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ErrorHandler, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { RouterRoute } from 'hono/types'
import type { AppDeps, TeamDeps } from '../../deps.js'
import { answerError } from '../../errors.js'
import { currentSession, type DashboardEnv } from '../auth/guard.js'
import { matchLocale } from '../i18n/index.js'
import { ErrorBody, errorTitle } from '../pages/error.js'
import { page, render, type Ctx } from '../render.js'
import { Layout } from '../views/layout.js'

/** An error page: inside the app shell when signed in, a bare styled page otherwise. */
function errorPage(c: Ctx, status: number) {
  const l = c.var.locale
  const title = errorTitle(l, status)
  const body = <ErrorBody locale={l} status={status} />
  if (c.var.session) return page(c, title, 'none', body, status)
  return render(
    c,
    <Layout title={title} locale={l} nonce={c.var.nonce}>
      {body}
    </Layout>,
    status,
  )
}

/** Unknown dashboard paths: a 404 page inside the app. */
export const dashboardNotFound = (c: Ctx) => errorPage(c, 404)

/** Errors of any dashboard route, as a page; a 5xx is logged without personal data. */
export function dashboardError(deps: AppDeps): ErrorHandler<DashboardEnv> {
  return (err, c) => answerError(c, err, (error) => errorPage(c, error.status), deps.log)
}

/** A route path as Hono writes it (`/contacts/:id`, `/reasons.csv`) as an anchored RegExp. */
function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => {
      if (part === '*') return '.*'
      if (part.startsWith(':')) return /\{(.+)\}$/.exec(part)?.[1] ?? '[^/]+'
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  return new RegExp(`^${source}$`)
}

/**
 * A request no dashboard route answers (`PUT /app/contacts`, `DELETE /app/nowhere`): the
 * dashboard's HTML error page in the reader's language, not the API's JSON 404 (app.ts) — a
 * browser asked. A path some route has answers 405 with `Allow`; any other path 404. Runs before
 * the body is read; auth/authorize.ts lets such requests through unchecked (no route, so no
 * permission to check), so nothing of the workspace is shown, only whether the path exists, which
 * the GET pages and the open source say anyway. `routes` is the dashboard app's, read per request
 * because routes are added after this middleware (dashboard/routes.tsx).
 */
export function unroutedRequests(
  routes: () => RouterRoute[],
  deps: TeamDeps,
): MiddlewareHandler<DashboardEnv> {
  let patterns: { method: string; test: RegExp }[] | undefined
  return async function dashboardUnrouted(c, next) {
    // A handler (not middleware) matched, including the GET catch-all's 404 page: it answers.
    if (matchedRoutes(c).some((r) => r.method !== 'ALL')) return next()
    patterns ??= routes()
      .filter((r) => r.method !== 'ALL' && r.path !== '/*')
      .map((r) => ({ method: r.method, test: pathPattern(r.path) }))
    const path = c.req.path.slice('/app'.length) || '/'
    const methods = new Set(patterns.filter((p) => p.test.test(path)).map((p) => p.method))
    if (methods.has('GET')) methods.add('HEAD')
    // Signed in: the language kept on the person wins, as on every page (security.ts).
    const session = await currentSession(c, deps)
    const chosen = matchLocale(session?.user?.locale)
    if (chosen) c.set('locale', chosen)
    if (methods.size === 0) return errorPage(c, 404)
    c.header('Allow', [...methods].sort().join(', '))
    return errorPage(c, 405)
  }
}
