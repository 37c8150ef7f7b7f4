import { Hono } from 'hono'
import type { AppDeps } from './deps.js'
import { answerError, errorJson } from './errors.js'
import { ingestRoutes } from './routes/ingest.js'
import { lifecycleRoutes } from './routes/lifecycle.js'
import { contactRoutes } from './routes/contacts.js'
import { healthRoutes } from './routes/health.js'
import { sdkRoutes } from './routes/sdk.js'
import { scoringRoutes } from './routes/scoring.js'
import { webhookRoutes } from './routes/webhooks.js'
import { segmentRoutes } from './routes/segments.js'
import { listRoutes } from './routes/lists.js'
import { dashboardRoutes } from './dashboard/routes.js'
import type { TeamStore } from './team/port.js'
import { randomToken } from './team/tokens.js'
import { authorize } from './auth/authorize.js'
import { createKeyResolver } from './auth/key-resolver.js'
import { keyRoutes } from './routes/keys.js'
import { userRoutes } from './routes/users.js'
import { auditRoutes } from './routes/audit.js'
import type { TeamDeps } from './deps.js'

function withTeam(deps: AppDeps): TeamDeps {
  const team = deps.team ?? (deps.store as { team?: TeamStore }).team
  if (!team) throw new Error('createApp needs a team store (AppDeps.team)')
  return { ...deps, team, sessionSecret: deps.sessionSecret ?? randomToken() }
}
import { reportRoutes } from './routes/reports.js'

/**
 * Builds the collector as a Hono app.
 *
 * @example
 * const app = createApp({ store, clock: { now: () => new Date() }, config: {} })
 * const res = await app.request('/health')
 */
export function createApp(appDeps: AppDeps) {
  const deps = withTeam(appDeps)
  const keys = createKeyResolver(deps.store, deps.team, deps.clock)
  const app = new Hono()
  // Before every route: the permission table decides (auth/permissions.ts).
  app.use('*', authorize(deps, keys))
  app.route('/v1', ingestRoutes(deps, keys))
  // Before contactRoutes: `/contacts/export` must not be read as a contact id.
  app.route('/v1', lifecycleRoutes(deps))
  app.route('/v1', contactRoutes(deps))
  app.route('/v1', scoringRoutes(deps))
  app.route('/v1', webhookRoutes(deps))
  app.route('/v1', keyRoutes(deps))
  app.route('/v1', userRoutes(deps))
  app.route('/v1', auditRoutes(deps))
  app.route('/v1', segmentRoutes(deps, keys))
  app.route('/v1', listRoutes(deps))
  app.route('/v1', reportRoutes(deps))
  app.route('/', healthRoutes(deps))
  app.route('/', sdkRoutes(deps))
  app.route('/app', dashboardRoutes(deps))

  app.notFound((c) =>
    c.json({ success: false, error: { code: 'not_found', message: 'Not found' } }, 404),
  )
  app.onError((err, c) => answerError(c, err, (error) => errorJson(c, error), deps.log))
  return app
}
