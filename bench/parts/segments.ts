/**
 * Segments and time-aware scores (docs/segments.md):
 *
 * - ingest CPU per event with 20 active segments against none on the run's PostgreSQL server,
 *   the realistic load (below): this process's CPU and the server's, per side
 *   (segments-postgres.ts);
 * - ingest CPU per event with 20 active segments against none, in process on the embedded
 *   store (PGlite: the collector and its database in one process, so one CPU figure holds
 *   both). Each round opens two stores, one without segments and one with the 20, and feeds
 *   them the same batches one after the other, alternating which goes first, so the machine's
 *   load falls on both sides alike. Three loads:
 *   - realistic: the ingest part's traffic (bench/lib/traffic.ts: one visitor per request,
 *     mostly page views, some engagement tracks, forms and identify calls) over its 10,000
 *     visitors, each first seen once (a page view), in transactions of about 100 events as
 *     group commit makes them under load; the 20 varied segments;
 *   - two stress loads of 500 visitors, a new event for each of 100 contacts per transaction:
 *     the varied set (trait, score, grade, role, event-count, last-seen, subscription and
 *     account conditions) and a worst case where every segment counts the same events and
 *     each score threshold is crossed (a transition writes an Entered event, its webhook row
 *     and a membership row);
 * - back-fill rate of a new segment and the score-ordered contacts list (p50/p95 of the
 *   first page, `GET /v1/contacts?sort=score`) at `--contacts=N` contacts (default 1,000,000;
 *   50,000 with --quick) on the run's PostgreSQL server, seeded with set-based SQL.
 */
import { openStore } from '../../packages/collector/src/adapters/open-store.js'
import { createAudienceStore } from '../../packages/collector/src/adapters/postgres/segments-store.js'
import type { EnrichedEvent } from '../../packages/collector/src/ports.js'
import { validateBatch } from '../../packages/collector/src/ingest/validate.js'
import { enrich } from '../../packages/collector/src/ingest/enrich.js'
import { createTraffic } from '../lib/traffic.js'
import type { BenchContext } from '../lib/context.js'
import { median, pct, percentile } from '../lib/stats.js'
import { loadavg } from 'node:os'
import { postgresRound, storeWithSegments, transitionsOf } from './segments-postgres.js'
import {
  compareCollector,
  firstVisits,
  VISITORS,
  type SegmentsIngestCollector,
} from './segments-collector.js'

export interface SegmentsIngest {
  /** Median CPU µs per event over the rounds, without segments and with the 20. */
  noneUsPerEvent: number
  twentyUsPerEvent: number
  increasePct: number
  transitionsPerEvent: number
  /** Each round's increase, in run order (the spread the median is taken from). */
  roundsPct?: number[]
}

/** The realistic row on the PostgreSQL server: CPU of this process and of the server. */
export interface SegmentsIngestPostgres extends SegmentsIngest {
  /**
   * Medians over the rounds, µs per event: this process (`process.cpuUsage()`; its main thread
   * alone), the side's backends, the shared server processes.
   */
  none: { processUs: number; mainUs: number; databaseUs: number; sharedUs: number }
  twenty: { processUs: number; mainUs: number; databaseUs: number; sharedUs: number }
  /** Each round's increase with this process's CPU as `process.cpuUsage()` counted it. */
  rawRoundsPct: number[]
  rawIncreasePct: number
  /** 1-minute load average at the end of each round. */
  roundsLoad: number[]
}

export interface SegmentsResult {
  events: number
  rounds: number
  /** The ingest part's traffic on the PostgreSQL server: the row the +15 % target is judged on. */
  realisticPostgres?: SegmentsIngestPostgres
  /** The same traffic end to end, through two collector processes. */
  realisticCollector?: SegmentsIngestCollector
  /** The ingest part's traffic on the embedded store. */
  realistic?: SegmentsIngest
  varied: SegmentsIngest
  sameEvents: SegmentsIngest
  contacts: number
  seedSeconds: number
  backfill: { seconds: number; contactsPerSecond: number }
  scoreOrder: { runs: number; p50Ms: number; p95Ms: number }
  /** 1-minute load average when the part started (other work on the machine). */
  loadAverage?: number
}

const TITLES = [
  'VP Sales',
  'Engineer',
  '首席执行官',
  'Marketing Manager',
  'Student',
  'Head of Data',
]
const PAGES = ['/pricing', '/blog/a', '/docs/start', '/', '/pricing/enterprise', '/careers']

/** Stress load: `n` events over 500 visitors (pages of several kinds, some tracks). */
function events(prefix: string, n: number, at: number): EnrichedEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const visitor = i % 500
    const timestamp = new Date(at + i).toISOString()
    const kind = i % 10 === 9 ? 'track' : 'page'
    const payload = {
      type: kind,
      anonymousId: `${prefix}${visitor}`,
      messageId: `${prefix}-${i}`,
      timestamp,
      ...(kind === 'track'
        ? { event: i % 20 === 9 ? 'Signed Up' : 'Demo Requested', properties: {} }
        : { properties: { url: `https://a.io${PAGES[(i * 7) % PAGES.length]}` } }),
      context: {
        traits: {
          title: TITLES[visitor % TITLES.length],
          industry: visitor % 3 ? 'Software' : 'Retail',
          country: visitor % 4 ? 'CN' : 'DE',
        },
      },
    }
    return {
      messageId: payload.messageId,
      type: kind,
      timestamp,
      originalTimestamp: timestamp,
      sentAt: null,
      receivedAt: timestamp,
      userId: null,
      anonymousId: payload.anonymousId,
      event: kind === 'track' ? (payload as { event?: string }).event! : null,
      name: null,
      payload: payload as never,
    }
  })
}

const pricing = { type: 'page', url: '*/pricing*' }

/** Twenty segments of the kinds marketers save, each condition different. */
export const VARIED: { name: string; conditions: unknown }[] = [
  { traits: { industry: { contains: 'software' } } },
  { traits: { title: { containsWord: ['VP', 'Head'] } } },
  { traits: { country: { in: ['CN', 'JP'] } } },
  { traits: { plan: { exists: true } } },
  { score: { gte: 20 } },
  { score: { gte: 50 } },
  { grade: 'hot' },
  { grade: ['warm', 'hot'] },
  { events: { match: pricing, atLeast: 2, within: '14d' } },
  { events: { match: { type: 'page', url: '*/blog/*' }, atLeast: 3, within: '7d' } },
  { events: { match: { type: 'page', url: '*/docs/*' }, atLeast: 1, within: '30d' } },
  { events: { match: { type: 'track', event: 'Signed Up' }, atLeast: 1, within: '30d' } },
  { lastSeen: { within: '7d' } },
  { lastSeen: { notWithin: '30d' } },
  { role: 'decision_maker' },
  { role: ['influencer', 'other'] },
  { subscribed: 'newsletter' },
  { account: { exists: true } },
  {
    all: [{ events: { match: pricing, atLeast: 2, within: '14d' } }, { grade: ['warm', 'hot'] }],
  },
  { all: [{ role: 'decision_maker' }, { traits: { industry: { contains: 'software' } } }] },
].map((conditions, i) => ({ name: `Varied ${i}`, conditions }))

/** Twenty segments counting the same events, thresholds 0–19: a transition on most events. */
export const SAME_EVENTS = Array.from({ length: 20 }, (_, i) => ({
  name: `Same ${i}`,
  conditions: {
    all: [
      { score: { gte: i } },
      { events: { match: pricing, atLeast: 2, within: '14d' } },
      { traits: { title: { containsWord: ['VP', 'Head', 'Manager'] } } },
    ],
  },
}))

/** Batches fed to both sides of a round: the warm-up ones first, then the measured ones. */
interface Load {
  warm: EnrichedEvent[][]
  measured: EnrichedEvent[][]
}

const inBatches = (all: EnrichedEvent[], size: number) =>
  Array.from({ length: Math.ceil(all.length / size) }, (_, i) =>
    all.slice(i * size, (i + 1) * size),
  )

/** The stress load: 1,000 warm-up events, then `n`, 100 per transaction. */
export function stressLoad(prefix: string, n: number): Load {
  const all = inBatches(events(prefix, n + 1000, Date.now()), 100)
  return { warm: all.slice(0, 10), measured: all.slice(10) }
}

/** Validated and enriched as the collector's routes do. */
function enriched(body: { batch: unknown[]; sentAt?: string }, userAgent: string) {
  const v = validateBatch(body)
  const facts = { ip: '203.0.113.7', userAgent, receivedAt: new Date() }
  return v.valid.map((e) => enrich(e, v.envelope, facts))
}

/**
 * The realistic load: the ingest part's generator (same seed, visitors and mix), each visitor
 * first seen once, then `n` events of its requests grouped into transactions of about 100.
 */
export function realisticLoad(tag: string, n: number): Load {
  const first = firstVisits(tag)
  const warm = Array.from({ length: VISITORS / 100 }, (_, i) =>
    enriched({ batch: first.slice(i * 100, (i + 1) * 100) }, 'bench'),
  )
  const traffic = createTraffic({ tag, visitors: VISITORS })
  const measured: EnrichedEvent[][] = []
  let group: EnrichedEvent[] = []
  for (let total = 0; total < n;) {
    const request = traffic.next()
    const evs = enriched(JSON.parse(request.body), request.userAgent)
    group.push(...evs)
    total += evs.length
    if (group.length >= 100) {
      measured.push(group)
      group = []
    }
  }
  if (group.length > 0) measured.push(group)
  return { warm, measured }
}

/** An embedded store with a workspace and these segments, back-filled and ready. */
async function side(segments: { name: string; conditions: unknown }[]) {
  return { ...(await storeWithSegments({ dataDir: null }, segments)), cpuUs: 0 }
}

/**
 * One round: the same batches into a store without segments and one with `segments`, batch
 * by batch, each ingest's process CPU counted to its side.
 */
export async function ingestRound(segments: { name: string; conditions: unknown }[], load: Load) {
  const none = await side([])
  const twenty = await side(segments)
  try {
    for (const batch of load.warm) {
      await none.store.ingest(none.ws, batch)
      await twenty.store.ingest(twenty.ws, batch)
    }
    const before = await transitionsOf(twenty.store, twenty.ws)
    let events = 0
    for (const [i, batch] of load.measured.entries()) {
      events += batch.length
      for (const s of i % 2 === 0 ? [none, twenty] : [twenty, none]) {
        const cpu = process.cpuUsage()
        await s.store.ingest(s.ws, batch)
        const used = process.cpuUsage(cpu)
        s.cpuUs += used.user + used.system
      }
    }
    const transitions = (await transitionsOf(twenty.store, twenty.ws)) - before
    return {
      noneUs: none.cpuUs / events,
      twentyUs: twenty.cpuUs / events,
      transitions: transitions / events,
    }
  } finally {
    await none.store.close()
    await twenty.store.close()
  }
}

/** The realistic load on the PostgreSQL server, `rounds` rounds on fresh databases. */
async function comparePostgres(ctx: BenchContext, n: number, rounds: number) {
  const pg = await ctx.postgres()
  // A first round pays for compiling the code paths and warming the server: not counted.
  await postgresRound(pg, 'warm', VARIED, realisticLoad('pw', 1000))
  const runs: Awaited<ReturnType<typeof postgresRound>>[] = []
  const roundsLoad: number[] = []
  for (let r = 0; r < rounds; r++) {
    const t = await postgresRound(pg, `r${r}`, VARIED, realisticLoad(`p${r}`, n))
    runs.push(t)
    roundsLoad.push(Math.round(loadavg()[0]! * 10) / 10)
    ctx.log(
      `segments: realistic on PostgreSQL round ${r + 1}: ${Math.round(t.noneUs)} → ${Math.round(t.twentyUs)} µs/event (${pct(t.twentyUs, t.noneUs)} %, cpuUsage as counted ${pct(t.rawTwentyUs, t.rawNoneUs)} %; process ${Math.round(t.none.processUs)} → ${Math.round(t.twenty.processUs)} (main thread ${Math.round(t.none.mainUs)} → ${Math.round(t.twenty.mainUs)}), database ${Math.round(t.none.databaseUs)} → ${Math.round(t.twenty.databaseUs)}; load ${roundsLoad[r]})`,
    )
  }
  const med = (f: (t: (typeof runs)[number]) => number) => Math.round(median(runs.map(f)))
  const use = (side: 'none' | 'twenty') => ({
    processUs: med((t) => t[side].processUs),
    mainUs: med((t) => t[side].mainUs),
    databaseUs: med((t) => t[side].databaseUs),
    sharedUs: med((t) => t[side].sharedUs),
  })
  const a = median(runs.map((t) => t.noneUs))
  const b = median(runs.map((t) => t.twentyUs))
  return {
    noneUsPerEvent: Math.round(a),
    twentyUsPerEvent: Math.round(b),
    increasePct: pct(b, a),
    transitionsPerEvent: Math.round(median(runs.map((t) => t.transitions)) * 100) / 100,
    roundsPct: runs.map((t) => pct(t.twentyUs, t.noneUs)),
    none: use('none'),
    twenty: use('twenty'),
    rawRoundsPct: runs.map((t) => pct(t.rawTwentyUs, t.rawNoneUs)),
    rawIncreasePct: pct(
      median(runs.map((t) => t.rawTwentyUs)),
      median(runs.map((t) => t.rawNoneUs)),
    ),
    roundsLoad,
  }
}

async function compare(
  ctx: BenchContext,
  label: string,
  segments: { name: string; conditions: unknown }[],
  load: (round: number) => Load,
  rounds: number,
): Promise<SegmentsIngest> {
  const none: number[] = []
  const twenty: number[] = []
  const transitions: number[] = []
  for (let r = 0; r < rounds; r++) {
    const t = await ingestRound(segments, load(r))
    none.push(t.noneUs)
    twenty.push(t.twentyUs)
    transitions.push(t.transitions)
    ctx.log(
      `segments: ${label} round ${r + 1}: ${Math.round(t.noneUs)} → ${Math.round(t.twentyUs)} µs/event (${pct(t.twentyUs, t.noneUs)} %, load ${loadavg()[0]!.toFixed(1)})`,
    )
  }
  const a = median(none)
  const b = median(twenty)
  return {
    noneUsPerEvent: Math.round(a),
    twentyUsPerEvent: Math.round(b),
    increasePct: pct(b, a),
    transitionsPerEvent: Math.round(median(transitions) * 100) / 100,
    roundsPct: none.map((x, i) => pct(twenty[i]!, x)),
  }
}

/** `--contacts=N` on the command line, else the default for the mode. */
function contactsArg(quick: boolean) {
  const arg = process.argv.find((a) => a.startsWith('--contacts='))
  const value = arg ? Number(arg.slice('--contacts='.length)) : NaN
  return Number.isInteger(value) && value > 0 ? value : quick ? 50_000 : 1_000_000
}

/** Contacts with traits and stored scores, straight through SQL, 100,000 per statement. */
async function seed(sql: Awaited<ReturnType<typeof openStore>>['sql'], ws: string, n: number) {
  // score_key is the decay-independent order key (packages/scoring/src/score-key.ts): a
  // spread of engagement recorded over the last two months.
  const base = (Date.now() - Date.UTC(2020, 0, 1)) / (30 * 86_400_000)
  for (let from = 1; from <= n; from += 100_000) {
    const to = Math.min(n, from + 99_999)
    await sql`insert into contacts (id, workspace_id, first_seen, last_seen, traits, score_fit, score_key)
      select gen_random_uuid(), ${ws}, now() - interval '60 days', now() - (g % 1440) * interval '1 hour',
        jsonb_build_object('industry', case when g % 3 = 0 then 'Software' else 'Retail' end,
          'title', (array['VP Sales','Engineer','首席执行官','Student'])[1 + g % 4]),
        ((g % 31) - 10) * 1.0,
        case when g % 5 = 0 then 0 else 64 + ln((g % 97) + 1) / ln(2) + ${base} - (g % 60) / 30.0 end
      from generate_series(${from}::int, ${to}::int) g`
  }
  await sql.unsafe('analyze contacts')
}

export async function runSegments(ctx: BenchContext): Promise<SegmentsResult> {
  const n = ctx.quick ? 2000 : 5000
  const rounds = ctx.quick ? 1 : 4
  const loadAverage = Math.round(loadavg()[0]! * 10) / 10
  const realisticPostgres = await comparePostgres(ctx, n, ctx.quick ? 1 : 5)
  const realisticCollector = await compareCollector(
    ctx,
    VARIED,
    ctx.quick ? n : 10_000,
    ctx.quick ? 1 : 5,
  )
  // A first round in a process pays for compiling the code paths: measured figures come after.
  await ingestRound(VARIED, realisticLoad('w', 1000))
  const realistic = await compare(
    ctx,
    'realistic',
    VARIED,
    (r) => realisticLoad(`r${r}`, n),
    rounds,
  )
  const varied = await compare(ctx, 'varied', VARIED, (r) => stressLoad(`v${r}-`, n), rounds)
  const sameEvents = await compare(
    ctx,
    'same events',
    SAME_EVENTS,
    (r) => stressLoad(`s${r}-`, n),
    rounds,
  )

  const contacts = contactsArg(ctx.quick)
  const pg = await ctx.postgres()
  const store = await openStore({ databaseUrl: await pg.createDatabase('bench_segments') })
  try {
    await store.migrate()
    const audience = createAudienceStore(store.sql)
    const ws = await store.createWorkspace({ name: 'bench' })
    ctx.log(`segments: seeding ${contacts.toLocaleString('en')} contacts`)
    let t = performance.now()
    await seed(store.sql, ws.id, contacts)
    const seedSeconds = (performance.now() - t) / 1000

    const page = async () => {
      const s = performance.now()
      const res = await store.listContacts(ws.id, { sort: 'score', limit: 50, now: new Date() })
      if (res.contacts.length !== 50) throw new Error(`score page had ${res.contacts.length} rows`)
      return performance.now() - s
    }
    await page()
    const runs = ctx.quick ? 10 : 40
    const times: number[] = []
    for (let i = 0; i < runs; i++) times.push(await page())

    ctx.log('segments: back-fill of a new segment')
    await audience.createSegment(ws.id, {
      name: 'Software decision makers',
      conditions: {
        all: [
          { traits: { industry: 'Software' } },
          { role: 'decision_maker' },
          { score: { gte: 5 } },
        ],
      },
    } as never)
    t = performance.now()
    let done = 0
    for (;;) {
      const p = await audience.backfillStep(new Date())
      if (!p) break
      done = p.done
      if (done % 100_000 < 500) ctx.log(`segments: back-filled ${done.toLocaleString('en')}`)
    }
    const backfillSeconds = (performance.now() - t) / 1000
    if (done !== contacts) throw new Error(`back-fill covered ${done} of ${contacts} contacts`)
    return {
      loadAverage,
      events: n,
      rounds,
      realisticPostgres,
      realisticCollector,
      realistic,
      varied,
      sameEvents,
      contacts,
      seedSeconds: Math.round(seedSeconds),
      backfill: {
        seconds: Math.round(backfillSeconds * 10) / 10,
        contactsPerSecond: Math.round(contacts / backfillSeconds),
      },
      scoreOrder: {
        runs,
        p50Ms: Math.round(percentile(times, 50) * 10) / 10,
        p95Ms: Math.round(percentile(times, 95) * 10) / 10,
      },
    }
  } finally {
    await store.close()
  }
}
