// Streamed export of a static list (docs/segments.md), in process on the embedded store
// (PGlite) or DATABASE_URL: rows per second and heap growth while the whole CSV streams, at N
// members and at N/10; `retainedMb` (heap still held after a full GC, sampled every 5 pages)
// is what shows constant memory: it does not grow with N.
// Run: `node --expose-gc --import tsx bench/parts/list-export.ts [contacts]` (default 100,000).
// Not yet a part of `pnpm bench` (scripts/bench.mjs).
import { exportChunks } from '../../packages/lifecycle/src/export-stream.js'
import { openStore } from '../../packages/collector/src/adapters/open-store.js'
import { createListsStore } from '../../packages/collector/src/adapters/postgres/lists-store.js'

const N = Number(process.argv[2] ?? 100_000)
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})

async function run(n: number) {
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: null })
  await store.migrate()
  const lists = createListsStore(store.sql)
  const ws = await store.createWorkspace({ name: 'bench' })
  const list = await lists.createList(ws.id, 'All')
  await store.sql`insert into contacts (id, workspace_id, first_seen, last_seen, traits)
    select gen_random_uuid(), ${ws.id}, now(), now(),
      jsonb_build_object('email', 'p' || g || '@example.com', 'name', '=cmd' || g, 'company', 'Acme')
    from generate_series(1, ${n}) g`
  await store.sql`insert into list_members (list_id, contact_id, workspace_id)
    select ${list.id}, id, workspace_id from contacts where workspace_id = ${ws.id}`
  await store.sql.unsafe('analyze contacts; analyze list_members')
  gc()
  const heap0 = process.memoryUsage().heapUsed
  let peak = heap0
  let retained = 0
  let chunks = 0
  let rows = 0
  let bytes = 0
  const t = performance.now()
  const now = new Date()
  const source = lists.exportSource({ kind: 'list', id: list.id }, now)
  for await (const chunk of exportChunks(source, ws.id, 'csv', now)) {
    bytes += chunk.length
    rows += chunk.split('\r\n').length - 1
    peak = Math.max(peak, process.memoryUsage().heapUsed)
    // Every 5th page: what is still held after a full collection (garbage left out).
    if (++chunks % 5 === 0) {
      gc()
      retained = Math.max(retained, process.memoryUsage().heapUsed - heap0)
    }
  }
  const s = (performance.now() - t) / 1000
  await store.close()
  return {
    members: n,
    rows: rows - 1,
    rowsPerSecond: Math.round((rows - 1) / s),
    megabytes: Math.round(bytes / 1e5) / 10,
    heapGrowthMb: Math.round((peak - heap0) / 1e5) / 10,
    retainedMb: Math.round(retained / 1e5) / 10,
  }
}

const small = await run(Math.max(1000, Math.round(N / 10)))
const big = await run(N)
console.log(JSON.stringify({ small, big }, null, 2))
