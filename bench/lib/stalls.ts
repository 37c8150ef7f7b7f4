import { existsSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadPostgres } from './collector-deps.js'
import { loadAverage } from './machine.js'
import { percentile, round1 } from './stats.js'

/** The preload that measures inside the collector (`node --import`, see stall-probe.mjs). */
export const STALL_PROBE = fileURLToPath(new URL('./stall-probe.mjs', import.meta.url))

/** Where an acknowledgement's time went during a window of load, measured not guessed. */
export interface StallBreakdown {
  seconds: number
  /** 1-minute load average at the window's start and end. */
  loadAverage: [number, number]
  /** The collector's event-loop delay (monitorEventLoopDelay, 10 ms resolution). */
  eventLoop: { p50Ms: number; p99Ms: number; maxMs: number }
  /** The collector's garbage-collection pauses, all and major (mark-compact) only. */
  gc: {
    pauses: number
    totalMs: number
    p99Ms: number
    maxMs: number
    major: number
    majorMs: number
  }
  /** Group commit: each request's wait for its group's transaction to start. */
  queue: { requests: number; p50Ms: number; p99Ms: number; maxMs: number }
  /** Group commit: each group's ingest (its transaction, retries included). */
  ingest: { groups: number; eventsPerGroup: number; p50Ms: number; p99Ms: number; maxMs: number }
  /**
   * Each `POST /v1/batch` inside the collector, from its parsed headers to its response's last
   * byte (Node's http diagnostics channels). Absent in results recorded before it was measured.
   */
  requests?: { count: number; p50Ms: number; p99Ms: number; maxMs: number }
  /** pg_stat_wal with track_wal_io_timing on, over the window. */
  wal: { syncs: number; syncAvgMs: number; syncTotalMs: number; writeTotalMs: number }
  /**
   * pg_stat_bgwriter over the window: checkpoints started in it, and the write and sync time
   * of checkpoints that ended in it (a checkpoint's fsyncs share the disk with commits' WAL
   * fsyncs). Absent in results recorded before it was measured.
   */
  checkpoints?: { started: number; writeMs: number; syncMs: number }
  /** pg_stat_activity of the database's connections, sampled every 25 ms (idle ones left out). */
  waits: { what: string; share: number }[]
  samples: number
  /** Time runnable but waiting for a core, and time run, per second (/proc/…/schedstat). */
  runQueue: {
    collectorWaitMsPerS: number
    collectorRunMsPerS: number
    postgresWaitMsPerS: number
    postgresRunMsPerS: number
    /** The bench process's main thread: the load generator and the probes (absent before). */
    benchWaitMsPerS?: number
    benchRunMsPerS?: number
  }
}

interface ProbeDump {
  loop: { p50: number; p99: number; max: number }
  /** [kind, ms] of each pause: mark-compact ('major') or any other. */
  gc: ['major' | 'other', number][]
  queued: number[]
  ingest: number[]
  events: number
  requests?: number[]
}

/** [run, wait] nanoseconds of a thread (`/proc/<pid>/task/<tid>/schedstat`), null if gone. */
function schedstat(pid: number, tid = pid): [number, number] | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')
    return [Number(run), Number(wait)]
  } catch {
    return null
  }
}

function label(state: string, type: string | null, event: string | null): string {
  if (state === 'idle in transaction') return 'idle in transaction (waiting for the collector)'
  if (state !== 'active') return state
  return type ? `waiting: ${type} ${event}` : 'running or runnable (no wait event)'
}

/**
 * Starts watching a collector spawned with {@link STALL_PROBE} (and LODESTONE_BENCH_STALLS set to
 * `probeFile`) and its database on the bench server (`adminUrl`, a superuser connection):
 * turns on `track_wal_io_timing`, resets pg_stat_wal, samples pg_stat_activity, and reads the
 * run-queue time of the collector's main thread and the database's backends. `stop()` returns
 * the breakdown of the window.
 */
export async function watchStalls(opts: {
  pid: number
  probeFile: string
  adminUrl: string
  database: string
  /** Run a CHECKPOINT first, so the window starts where a checkpoint cycle does. */
  checkpointFirst?: boolean
}) {
  const postgres = loadPostgres()
  const sql = postgres(opts.adminUrl, { max: 1, onnotice: () => {} })
  if (opts.checkpointFirst) await sql`checkpoint`
  const checkpoints = async () => {
    const [row] = await sql`select checkpoints_timed + checkpoints_req as started,
      checkpoint_write_time as write, checkpoint_sync_time as sync from pg_stat_bgwriter`
    return { started: Number(row!.started), write: Number(row!.write), sync: Number(row!.sync) }
  }
  // The statistics collector's snapshot is per transaction; each read here is its own.
  const checkpointsBefore = await checkpoints()
  await sql`alter system set track_wal_io_timing = on`
  await sql`select pg_reload_conf()`
  await sql`select pg_stat_reset_shared('wal')`
  process.kill(opts.pid, 'SIGUSR2') // the probe starts over
  const backends = (
    await sql`select pid from pg_stat_activity where datname = ${opts.database}
      and backend_type = 'client backend'`
  ).map((r: { pid: number }) => r.pid)
  const startSched = {
    bench: schedstat(process.pid),
    collector: schedstat(opts.pid),
    postgres: new Map<number, [number, number] | null>(backends.map((p) => [p, schedstat(p)])),
  }
  const startLoad = loadAverage()
  const started = performance.now()
  const counts = new Map<string, number>()
  let samples = 0
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      const rows = await sql`select state, wait_event_type, wait_event from pg_stat_activity
        where datname = ${opts.database} and backend_type = 'client backend'
        and pid <> pg_backend_pid() and state <> 'idle'`
      for (const r of rows) {
        const what = label(r.state as string, r.wait_event_type, r.wait_event)
        counts.set(what, (counts.get(what) ?? 0) + 1)
        samples++
      }
      await new Promise((r) => setTimeout(r, 25))
    }
  })()

  return {
    async stop(): Promise<StallBreakdown> {
      sampling = false
      await sampler
      const seconds = (performance.now() - started) / 1000
      const [wal] = await sql`select wal_sync, wal_sync_time, wal_write_time from pg_stat_wal`
      const checkpointsAfter = await checkpoints()
      const perS = (ns: number) => round1(ns / 1e6 / seconds)
      const collectorEnd = schedstat(opts.pid)
      const benchEnd = schedstat(process.pid)
      let pgRun = 0
      let pgWait = 0
      for (const [p, start] of startSched.postgres) {
        const end = schedstat(p)
        if (!start || !end) continue
        pgRun += end[0] - start[0]
        pgWait += end[1] - start[1]
      }
      const [c0, c1] = [startSched.collector, collectorEnd]
      await sql`alter system reset track_wal_io_timing`
      await sql`select pg_reload_conf()`
      await sql.end({ timeout: 2 })
      rmSync(opts.probeFile, { force: true }) // the dump of the window's start
      process.kill(opts.pid, 'SIGUSR2') // the probe writes what it saw
      const dump = await readDump(opts.probeFile)
      const syncs = Number(wal!.wal_sync)
      const pauses = dump.gc.map(([, d]) => d)
      const major = dump.gc.filter(([kind]) => kind === 'major').map(([, d]) => d)
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
      return {
        seconds: round1(seconds),
        loadAverage: [startLoad, loadAverage()],
        eventLoop: {
          p50Ms: round1(dump.loop.p50),
          p99Ms: round1(dump.loop.p99),
          maxMs: round1(dump.loop.max),
        },
        gc: {
          pauses: pauses.length,
          totalMs: round1(sum(pauses)),
          p99Ms: round1(percentile(pauses, 99)),
          maxMs: round1(Math.max(0, ...pauses)),
          major: major.length,
          majorMs: round1(sum(major)),
        },
        queue: {
          requests: dump.queued.length,
          p50Ms: round1(percentile(dump.queued, 50)),
          p99Ms: round1(percentile(dump.queued, 99)),
          maxMs: round1(Math.max(0, ...dump.queued)),
        },
        ...(dump.requests
          ? {
              requests: {
                count: dump.requests.length,
                p50Ms: round1(percentile(dump.requests, 50)),
                p99Ms: round1(percentile(dump.requests, 99)),
                maxMs: round1(Math.max(0, ...dump.requests)),
              },
            }
          : {}),
        ingest: {
          groups: dump.ingest.length,
          eventsPerGroup: round1(dump.events / Math.max(1, dump.ingest.length)),
          p50Ms: round1(percentile(dump.ingest, 50)),
          p99Ms: round1(percentile(dump.ingest, 99)),
          maxMs: round1(Math.max(0, ...dump.ingest)),
        },
        wal: {
          syncs,
          syncAvgMs: syncs > 0 ? round1(Number(wal!.wal_sync_time) / syncs) : 0,
          syncTotalMs: round1(Number(wal!.wal_sync_time)),
          writeTotalMs: round1(Number(wal!.wal_write_time)),
        },
        checkpoints: {
          started: checkpointsAfter.started - checkpointsBefore.started,
          writeMs: round1(checkpointsAfter.write - checkpointsBefore.write),
          syncMs: round1(checkpointsAfter.sync - checkpointsBefore.sync),
        },
        waits: [...counts]
          .map(([what, n]) => ({ what, share: round1((100 * n) / Math.max(1, samples)) }))
          .sort((a, b) => b.share - a.share),
        samples,
        runQueue: {
          collectorWaitMsPerS: c0 && c1 ? perS(c1[1] - c0[1]) : NaN,
          collectorRunMsPerS: c0 && c1 ? perS(c1[0] - c0[0]) : NaN,
          postgresWaitMsPerS: perS(pgWait),
          postgresRunMsPerS: perS(pgRun),
          ...(startSched.bench && benchEnd
            ? {
                benchWaitMsPerS: perS(benchEnd[1] - startSched.bench[1]),
                benchRunMsPerS: perS(benchEnd[0] - startSched.bench[0]),
              }
            : {}),
        },
      }
    },
  }
}

async function readDump(file: string): Promise<ProbeDump> {
  for (const deadline = Date.now() + 5000; !existsSync(file);) {
    if (Date.now() > deadline) throw new Error('the stall probe wrote nothing')
    await new Promise((r) => setTimeout(r, 50))
  }
  return JSON.parse(readFileSync(file, 'utf8')) as ProbeDump
}
