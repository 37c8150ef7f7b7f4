import { startPostgres, type Service } from '../../test/setup/servers.js'
import { loadPostgres } from './collector-deps.js'

export interface BenchPostgres {
  service: Service
  /** A fresh empty database on the server, so each part starts from the same state. */
  createDatabase(name: string): Promise<string>
  stop(): Promise<void>
}

/** One throwaway PostgreSQL 15 server (fsync on: commits are durable) for the whole run. */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  const service = await startPostgres()
  const postgres = loadPostgres()
  const admin = postgres(service.url, { max: 1, onnotice: () => {} })
  return {
    service,
    async createDatabase(name) {
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.unsafe(`create database ${name}`)
      return service.url.replace(/\/postgres$/, `/${name}`)
    },
    async stop() {
      await admin.end({ timeout: 2 })
      await service.stop()
    },
  }
}
