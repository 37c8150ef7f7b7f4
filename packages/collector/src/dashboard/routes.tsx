import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { TeamDeps } from '../deps.js'
import { readableForm, requireCsrf, type DashboardEnv } from './auth/guard.js'
import { CollectorError } from '../errors.js'
import { readerFormats, securityHeaders } from './security.js'
import { loginRoutes } from './routes/login.js'
import { languageRoutes } from './routes/shell.js'
import { teamRoutes } from './routes/team.js'
import { oidcRoutes } from './routes/oidc.js'
import { overviewRoutes } from './routes/overview.js'
import { contactsRoutes } from './routes/contacts.js'
import { contactRoutes } from './routes/contact.js'
import { liveRoutes } from './routes/live.js'
import { rulesRoutes } from './routes/rules.js'
import { qualityRoutes } from './routes/quality.js'
import { kpisRoutes } from './routes/kpis.js'
import { reportsRoutes } from './routes/reports.js'
import { reportsIndexRoutes } from './routes/reports-index.js'
import { setupRoutes } from './routes/setup.js'
import { segmentsRoutes } from './routes/segments.js'
import { accountsRoutes } from './routes/accounts.js'
import { dashboardError, dashboardNotFound, unroutedRequests } from './routes/errors.js'

const FORM_MAX_BYTES = 1024 * 1024

/**
 * The marketer dashboard at `/app`: server-rendered pages, a signed session cookie, CSRF-checked
 * forms (server-side sessions, roles: docs/team.md). Each area's routes live in routes/<area>.tsx; a new area is one line below (after the
 * session and CSRF checks) plus one nav entry in views/layout.tsx.
 */
export function dashboardRoutes(deps: TeamDeps) {
  const app = new Hono<DashboardEnv>()
  app.use('*', ...securityHeaders())
  // A method or path no route below has: an HTML 404/405 page, not the API's JSON.
  app.use(
    '*',
    unroutedRequests(() => app.routes, deps),
  )
  app.use(
    '*',
    bodyLimit({
      maxSize: FORM_MAX_BYTES,
      // The dashboard's 413 page (routes/errors.tsx), in the reader's language.
      onError: () => {
        throw new CollectorError('payload_too_large', 'Form too large')
      },
    }),
    readableForm(),
  )
  app.route('/', loginRoutes(deps))
  app.route('/', oidcRoutes(deps))
  app.route('/', languageRoutes(deps))
  // auth/authorize.ts has identified the person and checked their role before any route here.
  app.use('*', requireCsrf())
  app.use('*', readerFormats(deps))

  app.route('/', teamRoutes(deps))
  app.route('/', overviewRoutes(deps))
  app.route('/', contactsRoutes(deps))
  app.route('/', contactRoutes(deps))
  app.route('/', liveRoutes(deps))
  app.route('/', rulesRoutes(deps))
  app.route('/', qualityRoutes(deps))
  app.route('/', kpisRoutes(deps))
  app.route('/', reportsRoutes(deps))
  app.route('/', reportsIndexRoutes())
  app.route('/', setupRoutes(deps))
  app.route('/', segmentsRoutes(deps))
  app.route('/', accountsRoutes(deps))

  app.get('*', dashboardNotFound)
  app.onError(dashboardError(deps))
  return app
}
