import type { TestProject } from 'vitest/node'
import { startPostgres, startRedis, type Service } from './servers.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the throwaway PostgreSQL 15 server (database `postgres`). */
    pgUrl: string
    /** Port of the throwaway redis-server on 127.0.0.1. */
    redisPort: number
  }
}

// Real servers are a requirement, not an option: when one cannot start, the run fails loudly
// instead of skipping the tests that need it.
export default async function setup(project: TestProject) {
  const started: Service[] = []
  try {
    const pg = await startPostgres()
    started.push(pg)
    const redis = await startRedis()
    started.push(redis)
    project.provide('pgUrl', pg.url)
    project.provide('redisPort', redis.port)
  } catch (err) {
    await Promise.allSettled(started.map((s) => s.stop()))
    throw err
  }
  return async () => {
    await Promise.allSettled(started.map((s) => s.stop()))
  }
}
