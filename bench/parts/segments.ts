// Segments and time-aware scores, in process on the embedded store (PGlite) or DATABASE_URL:
// ingest CPU per event with 20 segments against none, back-fill rate, and the score-ordered
// list page (the per-fit merge of score-order.ts) at N contacts.
// Run: `node --import tsx bench/parts/segments.ts [contacts]` (default 20,000). Not yet a part
// of `pnpm bench` (scripts/bench.mjs).
import { openStore } from '../../packages/collector/src/adapters/open-store.js'
import { createAudienceStore } from '../../packages/collector/src/adapters/postgres/segments-store.js'
import type { EnrichedEvent } from '../../packages/collector/src/ports.js'

const N = Number(process.argv[2] ?? 20_000)

function events(prefix: string, n: number, at: number): EnrichedEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const timestamp = new Date(at + i).toISOString()
    const payload = {
      type: 'page' as const,
      anonymousId: `${prefix}${i % 500}`,
      messageId: `${prefix}-${i}`,
      timestamp,
      properties: { url: i % 3 ? 'https://a.io/pricing' : 'https://a.io/blog' },
      context: { traits: { title: i % 2 ? 'VP Sales' : 'Engineer' } },
    }
    return {
      messageId: payload.messageId,
      type: 'page',
      timestamp,
      originalTimestamp: timestamp,
      sentAt: null,
      receivedAt: timestamp,
      userId: null,
      anonymousId: payload.anonymousId,
      event: null,
      name: null,
      payload: payload as never,
    }
  })
}

const SEGMENT = (i: number) => ({
  name: `S${i}`,
  conditions: {
    all: [
      { score: { gte: i } },
      { events: { match: { type: 'page', url: '*/pricing*' }, atLeast: 2, within: '14d' } },
      { traits: { title: { containsWord: ['VP'] } } },
    ],
  },
})

async function ingestCpu(segments: number) {
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: null })
  await store.migrate()
  const audience = createAudienceStore(store.sql)
  const ws = await store.createWorkspace({ name: 'bench' })
  for (let i = 0; i < segments; i++) await audience.createSegment(ws.id, SEGMENT(i))
  while ((await audience.backfillStep(new Date())) !== null);
  const all = events(`s${segments}-`, 6000, Date.now())
  await store.ingest(ws.id, all.slice(0, 1000)) // warm-up
  const cpu = process.cpuUsage()
  const t = performance.now()
  for (let i = 1000; i < all.length; i += 100) await store.ingest(ws.id, all.slice(i, i + 100))
  const used = process.cpuUsage(cpu)
  const ms = performance.now() - t
  await store.close()
  return { cpuUsPerEvent: (used.user + used.system) / 5000, wallMs: ms }
}

async function scale() {
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: null })
  await store.migrate()
  const audience = createAudienceStore(store.sql)
  const ws = await store.createWorkspace({ name: 'bench' })
  const now = Date.now()
  await store.sql`insert into contacts (id, workspace_id, first_seen, last_seen, traits, score_fit, score_key)
    select gen_random_uuid(), ${ws.id}, now(), now(), jsonb_build_object('industry', case when g % 3 = 0 then 'Software' else 'Retail' end),
      ((g % 31) - 10) * 1.0, case when g % 5 = 0 then 0 else 64 + ln((g % 97) + 1) / ln(2) + ${(now - Date.UTC(2020, 0, 1)) / (30 * 86_400_000)} - (g % 60) / 30.0 end
    from generate_series(1, ${N}) g`
  await store.sql.unsafe('analyze contacts')
  const page = async () => {
    const t = performance.now()
    await audience.listAccounts(ws.id, { limit: 1, now: new Date() }) // keep rules warm
    const t2 = performance.now()
    const res = await store.listContacts(ws.id, { sort: 'score', limit: 50, now: new Date() })
    return { ms: performance.now() - t2, warm: t2 - t, n: res.contacts.length }
  }
  await page()
  const times: number[] = []
  for (let i = 0; i < 15; i++) times.push((await page()).ms)
  times.sort((a, b) => a - b)
  await audience.createSegment(ws.id, {
    name: 'Software',
    conditions: { traits: { industry: 'Software' } },
  })
  const t = performance.now()
  let done = 0
  for (;;) {
    const p = await audience.backfillStep(new Date())
    if (!p) break
    done = p.done
  }
  const backfillS = (performance.now() - t) / 1000
  await store.close()
  return {
    listP50Ms: times[7],
    listMaxMs: times[14],
    backfillPerSecond: Math.round(done / backfillS),
  }
}

const none = await ingestCpu(0)
const twenty = await ingestCpu(20)
const big = await scale()
console.log(
  JSON.stringify(
    {
      contacts: N,
      ingestCpuUsPerEvent: {
        none: Math.round(none.cpuUsPerEvent),
        twentySegments: Math.round(twenty.cpuUsPerEvent),
      },
      ingestCpuIncrease: `${Math.round((twenty.cpuUsPerEvent / none.cpuUsPerEvent - 1) * 100)} %`,
      ...big,
    },
    null,
    2,
  ),
)
