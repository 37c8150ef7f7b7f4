/**
 * Segments and time-aware scores (docs/segments.md):
 *
 * - ingest CPU per event with 20 active segments against none, in process on the embedded
 *   store (PGlite: the collector and its database in one process, so one CPU figure holds
 *   both), rounds alternated so machine load falls on both sides alike. Two sets of 20: a
 *   varied set (trait, score, grade, role, event-count, last-seen, subscription and account
 *   conditions) and a worst case where every segment counts the same events and each score
 *   threshold is crossed, so nearly every event makes a transition (an Entered event, its
 *   webhook row and membership write);
 * - back-fill rate of a new segment and the score-ordered contacts list (p50/p95 of the
 *   first page, `GET /v1/contacts?sort=score`) at `--contacts=N` contacts (default 1,000,000;
 *   50,000 with --quick) on the run's PostgreSQL server, seeded with set-based SQL.
 */
import { openStore } from '../../packages/collector/src/adapters/open-store.js'
import { createAudienceStore } from '../../packages/collector/src/adapters/postgres/segments-store.js'
import type { EnrichedEvent } from '../../packages/collector/src/ports.js'
import type { BenchContext } from '../lib/context.js'
import { percentile } from '../lib/stats.js'
import { loadavg } from 'node:os'

export interface SegmentsIngest {
  /** Median CPU µs per event over the rounds, without segments and with the 20. */
  noneUsPerEvent: number
  twentyUsPerEvent: number
  increasePct: number
  transitionsPerEvent: number
}

export interface SegmentsResult {
  events: number
  rounds: number
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

/** `n` events over 500 visitors: pages of several kinds, some tracks and group calls. */
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

/** CPU µs per event of `n` events in batches of 100 (after a 1,000-event warm-up). */
export async function ingestCpu(segments: { name: string; conditions: unknown }[], n: number) {
  const store = await openStore({ dataDir: null })
  await store.migrate()
  const audience = createAudienceStore(store.sql)
  const ws = await store.createWorkspace({ name: 'bench' })
  for (const s of segments) await audience.createSegment(ws.id, s as never)
  while ((await audience.backfillStep(new Date())) !== null);
  const all = events(`s${segments.length}-`, n + 1000, Date.now())
  await store.ingest(ws.id, all.slice(0, 1000))
  const [{ before }] = await store.sql`select count(*)::int as before from events
    where workspace_id = ${ws.id} and message_id like 'segment:%'`
  const cpu = process.cpuUsage()
  for (let i = 1000; i < all.length; i += 100) await store.ingest(ws.id, all.slice(i, i + 100))
  const used = process.cpuUsage(cpu)
  const [{ after }] = await store.sql`select count(*)::int as after from events
    where workspace_id = ${ws.id} and message_id like 'segment:%'`
  await store.close()
  return { us: (used.user + used.system) / n, transitions: (after - before) / n }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function compare(
  ctx: BenchContext,
  label: string,
  segments: { name: string; conditions: unknown }[],
  n: number,
  rounds: number,
): Promise<SegmentsIngest> {
  const none: number[] = []
  const twenty: number[] = []
  const transitions: number[] = []
  for (let r = 0; r < rounds; r++) {
    // alternate which side goes first, so drift in the machine's load falls on both
    if (r % 2 === 0) none.push((await ingestCpu([], n)).us)
    const t = await ingestCpu(segments, n)
    twenty.push(t.us)
    transitions.push(t.transitions)
    if (r % 2 === 1) none.push((await ingestCpu([], n)).us)
    ctx.log(
      `segments: ${label} round ${r + 1}: ${Math.round(none[r]!)} → ${Math.round(t.us)} µs/event`,
    )
  }
  const a = median(none)
  const b = median(twenty)
  return {
    noneUsPerEvent: Math.round(a),
    twentyUsPerEvent: Math.round(b),
    increasePct: Math.round((b / a - 1) * 1000) / 10,
    transitionsPerEvent: Math.round(median(transitions) * 100) / 100,
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
  // A first run in a process pays for compiling the code paths: measured figures come after.
  await ingestCpu(VARIED, 1000)
  const varied = await compare(ctx, 'varied', VARIED, n, rounds)
  const sameEvents = await compare(ctx, 'same events', SAME_EVENTS, n, rounds)

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
