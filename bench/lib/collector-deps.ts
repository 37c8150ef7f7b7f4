import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

/** The repository root, for spawning the CLI and reading build output. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

// The limit servers must use the very same hono, @hono/node-server and postgres.js builds as
// the collector, so they are loaded from the collector's own dependencies.
const fromCollector = createRequire(
  new URL('../../packages/collector/package.json', import.meta.url),
)

export const loadPostgres = () => fromCollector('postgres') as typeof import('postgres').default
export const loadHono = () => fromCollector('hono') as typeof import('hono')
export const loadNodeServer = () =>
  fromCollector('@hono/node-server') as typeof import('@hono/node-server')
