import { Hono } from 'hono'
import type { Deps } from '../deps.js'
import type { StoreAdmin } from '../ports.js'

/** `GET /health`: 200 when the store answers, 503 otherwise (load balancers take it out). */
export function healthRoutes(deps: Deps<Pick<StoreAdmin, 'ping'>>) {
  const app = new Hono()
  app.get('/health', async (c) => {
    try {
      await deps.store.ping()
      return c.json({ status: 'ok' })
    } catch {
      c.header('Retry-After', '5')
      return c.json(
        {
          status: 'unavailable',
          error: { code: 'store_unavailable', message: 'Store unreachable' },
        },
        503,
      )
    }
  })
  return app
}
