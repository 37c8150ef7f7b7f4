/**
 * Segments' ingest CPU end to end (docs/segments.md, Cost at ingest): the realistic load posted
 * to two `lodestone start` processes over HTTP, one on a database without segments and one with
 * the 20, each on its own fresh database of the run's PostgreSQL 15 server (fsync on). What an
 * operator pays per event: the collector process (every thread: HTTP, validation, enrichment,
 * group commit, identity, scoring, segments) + its database's backends + a share of the
 * server's shared processes (WAL writer, checkpointer…) in proportion to backend time.
 *
 * The same requests go to both, in chunks: chunk i to one collector, then to the other,
 * alternating which goes first, and a side's CPU is read only while its own chunk runs (the
 * other collector sits idle), so the machine's load and drift fall on both alike. The bench
 * process, which sends the requests, is not counted.
 */
import { loadavg } from 'node:os'
import type { BenchContext } from '../lib/context.js'
import type { BenchPostgres } from '../lib/postgres.js'
import { median, pct } from '../lib/stats.js'
import { spawnCollector, type CollectorProcess } from '../lib/collector-process.js'
import { loadPostgres } from '../lib/collector-deps.js'
import { processNs, serverCpuDelta, serverProcesses } from '../lib/cpu-usage.js'
import { createTraffic } from '../lib/traffic.js'
import { createAudienceStore } from '../../packages/collector/src/adapters/postgres/segments-store.js'

type Segment = { name: string; conditions: unknown }
type Request = { body: string; events: number; userAgent: string }

/** What one side used over the measured requests, µs. */
interface Use {
  collectorUs: number
  databaseUs: number
  sharedUs: number
}

export interface CollectorRound {
  /** CPU µs per event: the collector process, its database's backends, the shared share. */
  noneUs: number
  twentyUs: number
  none: Use
  twenty: Use
  transitions: number
  /** Events per group commit transaction, from the events and transactions counted. */
  eventsPerTransaction: number
}

export const VISITORS = 10_000

/**
 * Each visitor's first visit (a page view), stamped an hour before the traffic that follows:
 * later events come after it, as on a site. Stamped at enrichment instead, after the traffic was
 * made, the first visit looked newer than most later events, so nearly every transaction
 * replayed a contact's score from its stored events.
 */
export function firstVisits(tag: string) {
  const at = new Date(Date.now() - 3_600_000).toISOString()
  return Array.from({ length: VISITORS }, (_, v) => ({
    type: 'page',
    anonymousId: `${tag}-anon-${v}`,
    messageId: `${tag}-first-${v}`,
    timestamp: at,
    properties: { url: 'https://www.acme.example/' },
  }))
}
/** Requests in flight per collector: enough for group commit to gather about 100 events. */
const CONCURRENCY = 24
/** Requests per chunk, about 1,000 events. */
const CHUNK = 180

/**
 * The realistic load as requests (bench/parts/segments.ts `realisticLoad`, the same generator
 * and visitors): each visitor first seen once (a page view, 100 a request), then requests of
 * the ingest part's traffic up to `n` events.
 */
export function realisticRequests(tag: string, n: number) {
  const first = firstVisits(tag)
  const warm: Request[] = []
  for (let i = 0; i < VISITORS; i += 100) {
    const batch = first.slice(i, i + 100)
    warm.push({ body: JSON.stringify({ batch }), events: batch.length, userAgent: 'bench' })
  }
  const traffic = createTraffic({ tag, visitors: VISITORS })
  const measured: Request[] = []
  for (let total = 0; total < n;) {
    const r = traffic.next()
    measured.push(r)
    total += r.events
  }
  return { warm, measured }
}

/** Posts requests with `CONCURRENCY` in flight; throws on any answer but 200. */
async function post(collector: CollectorProcess, requests: Request[]) {
  const auth = `Basic ${Buffer.from(`${collector.workspace!.writeKey}:`).toString('base64')}`
  let next = 0
  const worker = async () => {
    while (next < requests.length) {
      const r = requests[next++]!
      const res = await fetch(`${collector.url}/v1/batch`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': r.userAgent,
          authorization: auth,
        },
        body: r.body,
      })
      const text = await res.text()
      if (res.status !== 200)
        throw new Error(`collector answered ${res.status}: ${text.slice(0, 200)}`)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
}

async function side(
  pg: BenchPostgres,
  database: string,
  segments: Segment[],
  nodeArgs: string[] = [],
) {
  const url = await pg.createDatabase(database)
  const collector = await spawnCollector({ databaseUrl: url, nodeArgs })
  const sql = loadPostgres()(url, { max: 2, onnotice: () => {} })
  if (segments.length > 0) {
    const audience = createAudienceStore(sql as never)
    for (const s of segments) await audience.createSegment(collector.workspace!.id, s as never)
    while ((await audience.backfillStep(new Date())) !== null);
  }
  return { collector, sql, database, use: { collectorUs: 0, databaseUs: 0, sharedUs: 0 } }
}

const transactions = async (sql: ReturnType<ReturnType<typeof loadPostgres>>) => {
  const [row] = await sql`select xact_commit::float8 as n from pg_stat_database
    where datname = current_database()`
  return row!.n as number
}

/** One round on two fresh databases named after `tag`. */
export async function collectorRound(
  pg: BenchPostgres,
  tag: string,
  segments: Segment[],
  load: { warm: Request[]; measured: Request[] },
  /** Extra node flags per side (a profiler). */
  nodeArgs?: (side: 'none' | 'twenty') => string[],
): Promise<CollectorRound> {
  const none = await side(pg, `segc_${tag}_none`, [], nodeArgs?.('none'))
  const twenty = await side(pg, `segc_${tag}_twenty`, segments, nodeArgs?.('twenty'))
  const postmaster = pg.pid()
  try {
    for (const s of [none, twenty]) await post(s.collector, load.warm)
    // As the store-level round (segments-postgres.ts): statistics, then autovacuum off.
    for (const s of [none, twenty]) {
      await s.sql.unsafe('analyze')
      await s.sql.unsafe(`do $$ declare t record; begin
        for t in select tablename from pg_tables where schemaname = current_schema() loop
          execute format('alter table %I set (autovacuum_enabled = false)', t.tablename);
        end loop; end $$`)
    }
    const count = async () => {
      const [row] = await twenty.sql`select count(*)::int as n from events
        where message_id like 'segment:%'`
      return row!.n as number
    }
    const before = await count()
    const tx0 = await transactions(none.sql)
    let events = 0
    for (let i = 0, c = 0; i < load.measured.length; i += CHUNK, c++) {
      const chunk = load.measured.slice(i, i + CHUNK)
      events += chunk.reduce((n, r) => n + r.events, 0)
      for (const s of c % 2 === 0 ? [none, twenty] : [twenty, none]) {
        const server = serverProcesses(postmaster)
        const ns = processNs(s.collector.pid)
        await post(s.collector, chunk)
        s.use.collectorUs += (processNs(s.collector.pid) - ns) / 1000
        const delta = serverCpuDelta(server, serverProcesses(postmaster))
        s.use.databaseUs += (delta.get(s.database) ?? 0) / 1000
        s.use.sharedUs += (delta.get('') ?? 0) / 1000
      }
    }
    const transitions = (await count()) - before
    // the collector's own statements outside group commit (sweeps, the outbox) are few
    const txs = (await transactions(none.sql)) - tx0
    const shared = none.use.sharedUs + twenty.use.sharedUs
    const share = shared / (none.use.databaseUs + twenty.use.databaseUs || 1)
    const total = (u: Use) => (u.collectorUs + u.databaseUs * (1 + share)) / events
    const per = (u: Use) => ({
      collectorUs: u.collectorUs / events,
      databaseUs: u.databaseUs / events,
      sharedUs: u.sharedUs / events,
    })
    return {
      noneUs: total(none.use),
      twentyUs: total(twenty.use),
      none: per(none.use),
      twenty: per(twenty.use),
      transitions: transitions / events,
      eventsPerTransaction: events / Math.max(1, txs),
    }
  } finally {
    await Promise.all([none, twenty].map((s) => s.sql.end()))
    await Promise.all([none, twenty].map((s) => s.collector.stop()))
  }
}

/**
 * The realistic load end to end: two `lodestone start` processes over HTTP, CPU of each
 * collector process (every thread) and of its database's backends.
 */
export interface SegmentsIngestCollector {
  events: number
  noneUsPerEvent: number
  twentyUsPerEvent: number
  increasePct: number
  roundsPct: number[]
  transitionsPerEvent: number
  /** Medians over the rounds, µs per event. */
  none: { collectorUs: number; databaseUs: number; sharedUs: number }
  twenty: { collectorUs: number; databaseUs: number; sharedUs: number }
  /** Median events per committed transaction (group commit's groups). */
  eventsPerTransaction: number
  roundsLoad: number[]
}

/** The realistic load end to end, `rounds` rounds on fresh databases and collectors. */
export async function compareCollector(
  ctx: BenchContext,
  segments: Segment[],
  n: number,
  rounds: number,
): Promise<SegmentsIngestCollector> {
  const pg = await ctx.postgres()
  // A first round pays for the server's caches and the collectors' start: not counted.
  await collectorRound(pg, 'warm', segments, realisticRequests('cw', 1000))
  const runs: Awaited<ReturnType<typeof collectorRound>>[] = []
  const roundsLoad: number[] = []
  for (let r = 0; r < rounds; r++) {
    const t = await collectorRound(pg, `r${r}`, segments, realisticRequests(`c${r}`, n))
    runs.push(t)
    roundsLoad.push(Math.round(loadavg()[0]! * 10) / 10)
    ctx.log(
      `segments: realistic end to end round ${r + 1}: ${Math.round(t.noneUs)} → ${Math.round(t.twentyUs)} µs/event (${pct(t.twentyUs, t.noneUs)} %; collector ${Math.round(t.none.collectorUs)} → ${Math.round(t.twenty.collectorUs)}, database ${Math.round(t.none.databaseUs)} → ${Math.round(t.twenty.databaseUs)}; ${Math.round(t.eventsPerTransaction)} events a transaction; load ${roundsLoad[r]})`,
    )
  }
  const med = (f: (t: (typeof runs)[number]) => number) => Math.round(median(runs.map(f)))
  const use = (side: 'none' | 'twenty') => ({
    collectorUs: med((t) => t[side].collectorUs),
    databaseUs: med((t) => t[side].databaseUs),
    sharedUs: med((t) => t[side].sharedUs),
  })
  const roundsPct = runs.map((t) => pct(t.twentyUs, t.noneUs))
  return {
    events: n,
    noneUsPerEvent: med((t) => t.noneUs),
    twentyUsPerEvent: med((t) => t.twentyUs),
    // the median of the rounds' increases; the report also shows the increase of the median
    // totals, which is what the store-level row's `increasePct` is
    increasePct: median(roundsPct),
    roundsPct,
    transitionsPerEvent: Math.round(median(runs.map((t) => t.transitions)) * 100) / 100,
    none: use('none'),
    twenty: use('twenty'),
    eventsPerTransaction: med((t) => t.eventsPerTransaction),
    roundsLoad,
  }
}
