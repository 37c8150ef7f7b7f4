import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

export interface EmbeddedServer {
  /** postgres.js connection URL of the embedded database. */
  url: string
  stop(): Promise<void>
}

const LOCK_FILE = 'embedded.json'

/** The URL of an embedded server another process of ours is running on this data dir, if any. */
export function runningEmbedded(dataDir: string): string | null {
  try {
    const { pid, port } = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8'))
    process.kill(pid, 0)
    return `postgres://postgres@127.0.0.1:${port}/postgres`
  } catch {
    return null
  }
}

/**
 * Opens PGlite on `<dataDir>/pgdata` (or in memory) and serves it on a loopback port through
 * pglite-socket, so postgres.js runs the same SQL as against a PostgreSQL server.
 * PGlite is one session: the caller must use a single postgres.js connection (max: 1).
 */
export async function startEmbedded(dataDir: string | null): Promise<EmbeddedServer> {
  let db: PGlite
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true })
    db = await PGlite.create(join(dataDir, 'pgdata'))
  } else {
    db = await PGlite.create()
  }
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 8 })
  await server.start()
  const port = Number(server.getServerConn().split(':').pop())
  if (dataDir) writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: process.pid, port }))
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop()
      await db.close()
      if (dataDir) rmSync(join(dataDir, LOCK_FILE), { force: true })
    },
  }
}
