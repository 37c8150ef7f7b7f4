/**
 * Segments' ingest CPU on a PostgreSQL server (docs/segments.md, Cost at ingest): the
 * realistic load fed to two stores on two fresh databases of the run's PostgreSQL 15 server
 * (fsync on), one without segments and one with the 20, through the store's ingest as the
 * collector's group commit calls it (one transaction per batch of about 100 events). CPU of a
 * side = this process's CPU while its batch ran (main thread exact from /proc schedstat; V8's
 * background threads, `process.cpuUsage()` minus the main thread, shared out in proportion)
 * + the CPU of its database's backends (exact, /proc/<pid>/schedstat) + a share of the
 * server's shared processes (WAL writer, checkpointer…) in proportion to backend time. Batch i goes to both sides, one after the
 * other, alternating which goes first, so the machine's load and drift fall on both alike.
 */
import { openStore, type StoreConfig } from '../../packages/collector/src/adapters/open-store.js'
import { createAudienceStore } from '../../packages/collector/src/adapters/postgres/segments-store.js'
import type { BenchPostgres } from '../lib/postgres.js'
import { mainThreadNs, serverCpuDelta, serverProcesses } from '../lib/cpu-usage.js'

type Segment = { name: string; conditions: unknown }
type Batches = {
  warm: Parameters<Store['ingest']>[1][]
  measured: Parameters<Store['ingest']>[1][]
}
type Store = Awaited<ReturnType<typeof openStore>>

/** What one side used, µs over the measured batches. */
interface Use {
  processUs: number
  /** Of `processUs`, the main thread's (the rest: V8's background threads). */
  mainUs: number
  databaseUs: number
  sharedUs: number
}

export interface PostgresRound {
  /**
   * CPU µs per event, all counted: this process (its main thread, plus its share of V8's
   * background threads), its database's backends and the shared server processes.
   */
  noneUs: number
  twentyUs: number
  /** The same with this process's CPU as `process.cpuUsage()` counted it in the side's batches. */
  rawNoneUs: number
  rawTwentyUs: number
  none: Use
  twenty: Use
  transitions: number
}

/** A store (`config`) with a workspace and these segments, back-filled and ready. */
export async function storeWithSegments(config: StoreConfig, segments: Segment[]) {
  const store = await openStore(config)
  await store.migrate()
  const audience = createAudienceStore(store.sql)
  const ws = await store.createWorkspace({ name: 'bench' })
  for (const s of segments) await audience.createSegment(ws.id, s as never)
  while ((await audience.backfillStep(new Date())) !== null);
  return { store, ws: ws.id }
}

async function side(pg: BenchPostgres, database: string, segments: Segment[]) {
  const opened = await storeWithSegments(
    { databaseUrl: await pg.createDatabase(database) },
    segments,
  )
  return { ...opened, database, use: { processUs: 0, mainUs: 0, databaseUs: 0, sharedUs: 0 } }
}

/** Entered/Exited events stored so far in the workspace. */
export const transitionsOf = async (store: Store, ws: string) => {
  const [row] = await store.sql`select count(*)::int as n from events
    where workspace_id = ${ws} and message_id like 'segment:%'`
  return row!.n as number
}

/** One round on two fresh databases named after `tag`. */
export async function postgresRound(
  pg: BenchPostgres,
  tag: string,
  segments: Segment[],
  load: Batches,
  /** Called once both sides are warm, right before the measured batches (e.g. a profiler). */
  measuring?: () => Promise<void>,
): Promise<PostgresRound> {
  const none = await side(pg, `seg_${tag}_none`, [])
  const twenty = await side(pg, `seg_${tag}_twenty`, segments)
  const postmaster = pg.pid()
  try {
    for (const batch of load.warm) {
      await none.store.ingest(none.ws, batch)
      await twenty.store.ingest(twenty.ws, batch)
    }
    // Statistics as autovacuum keeps them in a running database: a table not analyzed yet is
    // planned with default selectivities (`contact_id = any(…)` of 100 ids taken for half the
    // table, so a sequential scan), which autovacuum fixes at a moment no round controls.
    // The first measurements without this ran three times the backend CPU per event.
    // Then autovacuum stays off for the measured batches: a worker vacuuming one side's
    // table lands in whichever batch is running (its CPU would be counted to its database
    // but at a random moment, tens of µs per event in one round), and 5,000 events do not
    // make a running database's statistics stale.
    for (const s of [none, twenty]) {
      await s.store.sql.unsafe('analyze')
      await s.store.sql.unsafe(`do $$ declare t record; begin
        for t in select tablename from pg_tables where schemaname = current_schema() loop
          execute format('alter table %I set (autovacuum_enabled = false)', t.tablename);
        end loop; end $$`)
    }
    await measuring?.()
    const before = await transitionsOf(twenty.store, twenty.ws)
    let events = 0
    for (const [i, batch] of load.measured.entries()) {
      events += batch.length
      for (const s of i % 2 === 0 ? [none, twenty] : [twenty, none]) {
        const server = serverProcesses(postmaster)
        const cpu = process.cpuUsage()
        const main = mainThreadNs()
        await s.store.ingest(s.ws, batch)
        s.use.mainUs += (mainThreadNs() - main) / 1000
        const used = process.cpuUsage(cpu)
        const delta = serverCpuDelta(server, serverProcesses(postmaster))
        s.use.processUs += used.user + used.system
        s.use.databaseUs += (delta.get(s.database) ?? 0) / 1000
        s.use.sharedUs += (delta.get('') ?? 0) / 1000
      }
    }
    const transitions = (await transitionsOf(twenty.store, twenty.ws)) - before
    const per = (u: Use) => ({
      processUs: u.processUs / events,
      mainUs: u.mainUs / events,
      databaseUs: u.databaseUs / events,
      sharedUs: u.sharedUs / events,
    })
    // V8's background threads (concurrent garbage collection, compilation) run when they run,
    // often in the other side's batch: their time is shared out in proportion to each side's
    // main-thread time, which is what makes the work they finish.
    const all = none.use.processUs + twenty.use.processUs
    const scale = all / (none.use.mainUs + twenty.use.mainUs || 1)
    // The server's shared processes likewise (a checkpoint writes both sides' pages): in
    // proportion to each side's backend time.
    const shared = none.use.sharedUs + twenty.use.sharedUs
    const share = shared / (none.use.databaseUs + twenty.use.databaseUs || 1)
    const total = (u: Use) => (u.mainUs * scale + u.databaseUs * (1 + share)) / events
    const raw = (u: Use) => (u.processUs + u.databaseUs + u.sharedUs) / events
    return {
      noneUs: total(none.use),
      twentyUs: total(twenty.use),
      rawNoneUs: raw(none.use),
      rawTwentyUs: raw(twenty.use),
      none: per(none.use),
      twenty: per(twenty.use),
      transitions: transitions / events,
    }
  } finally {
    await none.store.close()
    await twenty.store.close()
  }
}
