import { serve, type ServerType } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { createApp, type AppConfig } from '../app.js'
import type { HotState } from '../ports.js'
import { openStore, type StoreConfig } from './open-store.js'
import { createSdkFiles } from './sdk-files.js'

export interface CollectorOptions extends StoreConfig {
  port?: number
  host?: string
  config?: AppConfig
  hot?: HotState
  log?: (message: string, detail?: Record<string, unknown>) => void
}

export interface RunningCollector {
  url: string
  port: number
  store: Awaited<ReturnType<typeof openStore>>
  /** Stops accepting connections, lets in-flight requests finish, closes the store. */
  close(): Promise<void>
}

/**
 * Starts the collector on Node: opens the store, migrates, serves the Hono app.
 *
 * @example
 * const c = await startCollector({ port: 0, dataDir: null })
 * await fetch(`${c.url}/health`)
 * await c.close()
 */
export async function startCollector(opts: CollectorOptions = {}): Promise<RunningCollector> {
  const store = await openStore(opts)
  await store.migrate()
  const app = createApp({
    store,
    hot: opts.hot,
    clock: { now: () => new Date() },
    config: opts.config ?? {},
    getConnectionIp: (c) => getConnInfo(c).remote.address ?? null,
    sdkScript: createSdkFiles(),
    log: opts.log,
  })
  const host = opts.host ?? '127.0.0.1'
  let server: ServerType | undefined
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: app.fetch, port: opts.port ?? 8787, hostname: host }, (info) =>
      resolve(info.port),
    )
    server.once('error', reject)
  })
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host
  return {
    url: `http://${shownHost}:${port}`,
    port,
    store,
    async close() {
      await new Promise<void>((resolve) => {
        if (!server) return resolve()
        server.close(() => resolve())
        // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
        ;(server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.()
      })
      await store.close()
    },
  }
}
