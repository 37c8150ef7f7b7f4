/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ErrorHandler } from 'hono'
import type { AppDeps } from '../../app.js'
import { CollectorError } from '../../errors.js'
import { mapStoreError } from '../../adapters/postgres/errors.js'
import type { DashboardEnv } from '../auth/guard.js'
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
  return (err, c) => {
    const mapped = mapStoreError(err)
    const status = mapped instanceof CollectorError ? mapped.status : 500
    if (status >= 500)
      deps.log?.('dashboard request failed', { path: c.req.path, name: (err as Error)?.name })
    if (mapped instanceof CollectorError && mapped.retryAfterSeconds)
      c.header('Retry-After', String(mapped.retryAfterSeconds))
    return errorPage(c, status)
  }
}
