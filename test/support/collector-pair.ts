import { expect } from 'vitest'
import {
  childProcesses,
  freshDatabase,
  spawnCollector,
  type ChildCollector,
} from './child-collector.js'

// Two real `lodestone start` processes on one fresh database, for the tests that check the
// collector is stateless (test/horizontal.test.ts, test/segments-two-processes.test.ts).

export interface CollectorPair {
  a: ChildCollector
  b: ChildCollector
  writeKey: string
  secretKey: string
  workspaceId: string
  sql: Awaited<ReturnType<typeof freshDatabase>>['store']['sql']
}

/**
 * The pairs of one test file: `start` spawns two processes on a new database with `env`,
 * `stop` ends both gracefully (each must exit 0), `cleanup` registers anything else to end.
 * Whatever is still running after the file's tests is killed, then the cleanups run.
 */
export function collectorPairs() {
  const running = childProcesses()
  return {
    cleanup: running.cleanup,
    async start(env: Record<string, string> = {}): Promise<CollectorPair> {
      const db = await freshDatabase()
      running.cleanup(() => db.store.close())
      const [a, b] = await Promise.all([spawnCollector(db.url, env), spawnCollector(db.url, env)])
      running.track(a, b)
      return {
        a,
        b,
        writeKey: db.workspace.writeKey,
        secretKey: db.workspace.secretKey,
        workspaceId: db.workspace.id,
        sql: db.store.sql,
      }
    },
    async stop(p: CollectorPair) {
      p.a.kill('SIGTERM')
      p.b.kill('SIGTERM')
      const exits = await Promise.all([p.a.exited, p.b.exited])
      expect(exits.map((e) => e.code)).toEqual([0, 0])
    },
  }
}
