import type { BenchContext } from '../lib/context.js'
import { spawnCollector } from '../lib/collector-process.js'
import { spawnLimit, type LimitMode } from '../lib/limit-process.js'
import { runLoad, type LoadResult } from '../lib/load.js'
import { cpuSeconds } from '../lib/cpu-usage.js'
import { loadAverage } from '../lib/machine.js'

export interface IngestResult {
  full: LoadResult
  parseLimit: LoadResult
  insertLimit: LoadResult
  groupCommitLimit: LoadResult
  connections: number
  /** CPU time per 1,000 acknowledged events during the full-pipeline run, by process. */
  cpuPer1000Events?: { collectorMs: number; postgresMs: number; loadGeneratorMs: number }
  /** The same for the group-commit limit: its server process and PostgreSQL. */
  groupCommitCpuPer1000Events?: { serverMs: number; postgresMs: number }
  /** 1-minute load average when the full-pipeline and the group-commit runs started. */
  loadAverage?: { full: number; groupCommit: number }
}

const CONNECTIONS = 50

/**
 * The full pipeline (validation, enrichment, identity, scoring, durable commit) against the
 * parse-only limit and the storage limits, with the same traffic, one after the other.
 */
export async function runIngest(ctx: BenchContext): Promise<IngestResult> {
  const pg = await ctx.postgres()
  const dbUrl = await pg.createDatabase('bench_ingest')
  const collector = await spawnCollector({ databaseUrl: dbUrl })
  let full: LoadResult
  let cpu: IngestResult['cpuPer1000Events']
  let loadFull = 0
  try {
    const target = { url: collector.url, writeKey: collector.workspace!.writeKey }
    ctx.log('ingest: warming the collector (first visits create the 10,000 contacts)')
    await runLoad(target, { seconds: ctx.seconds(8), connections: CONNECTIONS, tag: 'ingest' })
    ctx.log('ingest: full pipeline')
    loadFull = loadAverage()
    const before = { collector: cpuSeconds(collector.pid), pg: pg.cpuSeconds() }
    const own = process.cpuUsage()
    full = await runLoad(target, {
      seconds: ctx.seconds(20),
      connections: CONNECTIONS,
      tag: 'ingest',
    })
    const ownUsed = process.cpuUsage(own)
    const per1k = (seconds: number) => Math.round((seconds * 1e6) / Math.max(1, full.events))
    cpu = {
      collectorMs: per1k(cpuSeconds(collector.pid) - before.collector),
      postgresMs: per1k(pg.cpuSeconds() - before.pg),
      loadGeneratorMs: per1k((ownUsed.user + ownUsed.system) / 1e6),
    }
    ctx.log(`ingest: full ${full.eventsPerSecond} events/s, p99 ${full.p99Ms} ms`)
  } finally {
    await collector.stop()
  }
  const per1k = (seconds: number, events: number) =>
    Math.round((seconds * 1e6) / Math.max(1, events))
  const cpuOf: Partial<Record<LimitMode, { serverMs: number; postgresMs: number; load: number }>> =
    {}
  const limit = async (mode: LimitMode, seconds: number): Promise<LoadResult> => {
    const url = mode === 'parse' ? undefined : await pg.createDatabase(`bench_limit_${mode}`)
    const server = await spawnLimit(mode, url)
    try {
      await runLoad(
        { url: server.url },
        { seconds: ctx.seconds(3), connections: CONNECTIONS, tag: mode },
      )
      const load = loadAverage()
      const before = { server: cpuSeconds(server.pid), pg: pg.cpuSeconds() }
      const r = await runLoad(
        { url: server.url },
        { seconds: ctx.seconds(seconds), connections: CONNECTIONS, tag: mode },
      )
      cpuOf[mode] = {
        serverMs: per1k(cpuSeconds(server.pid) - before.server, r.events),
        postgresMs: per1k(pg.cpuSeconds() - before.pg, r.events),
        load,
      }
      ctx.log(`ingest: limit ${mode} ${r.eventsPerSecond} events/s, p99 ${r.p99Ms} ms`)
      return r
    } finally {
      await server.stop()
    }
  }
  const parseLimit = await limit('parse', 10)
  const insertLimit = await limit('insert', 12)
  const groupCommitLimit = await limit('group', 12)
  return {
    full,
    parseLimit,
    insertLimit,
    groupCommitLimit,
    connections: CONNECTIONS,
    cpuPer1000Events: cpu,
    groupCommitCpuPer1000Events: cpuOf.group && {
      serverMs: cpuOf.group.serverMs,
      postgresMs: cpuOf.group.postgresMs,
    },
    loadAverage: { full: loadFull, groupCommit: cpuOf.group?.load ?? 0 },
  }
}
