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
import { dashboardRoutes } from './dashboard/routes.js'
import { reportRoutes } from './routes/reports.js'

/**
 * Builds the collector as a Hono app.
 *
 * @example
 * const app = createApp({ store, clock: { now: () => new Date() }, config: {} })
 * const res = await app.request('/health')
 */
export function createApp(deps: AppDeps) {
  const app = new Hono()
  app.route('/v1', ingestRoutes(deps))
  // Before contactRoutes: `/contacts/export` must not be read as a contact id.
  app.route('/v1', lifecycleRoutes(deps))
  app.route('/v1', contactRoutes(deps))
  app.route('/v1', scoringRoutes(deps))
  app.route('/v1', webhookRoutes(deps))
  app.route('/v1', segmentRoutes(deps))
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
