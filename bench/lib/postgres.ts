import { startPostgres, type RestartablePostgres } from '../../test/setup/servers.js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadPostgres } from './collector-deps.js'
import { cpuSeconds } from './cpu-usage.js'

export interface BenchPostgres {
  service: RestartablePostgres
  /** A fresh empty database on the server, so each part starts from the same state. */
  createDatabase(name: string): Promise<string>
  /** CPU seconds the server (postmaster and backends) has used so far. */
  cpuSeconds(): number
  /** The postmaster's process id (its children are the backends: bench/lib/cpu-usage.ts). */
  pid(): number
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
    cpuSeconds() {
      return cpuSeconds(this.pid(), true)
    },
    pid() {
      return Number(
        readFileSync(join(service.socketDir, 'data/postmaster.pid'), 'utf8').split('\n')[0],
      )
    },
    async stop() {
      await admin.end({ timeout: 2 })
      await service.stop()
    },
  }
}
