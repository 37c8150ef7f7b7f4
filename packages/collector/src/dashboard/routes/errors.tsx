/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ErrorHandler } from 'hono'
import type { AppDeps } from '../../deps.js'
import { answerError } from '../../errors.js'
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
  return (err, c) => answerError(c, err, (error) => errorPage(c, error.status), deps.log)
}
