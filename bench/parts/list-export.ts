// Streamed export of a static list (docs/segments.md), in process on the embedded store
// (PGlite) or DATABASE_URL: rows per second and heap growth while the whole CSV streams, at N
// members and at N/10; `retainedMb` (heap still held after a full GC, sampled every 5 pages)
// is what shows constant memory: it does not grow with N.
// `pnpm bench list-export [--contacts=N]` (default 100,000; 20,000 with --quick).
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { BenchContext } from '../lib/context.js'
import { exportChunks } from '../../packages/lifecycle/src/export-stream.js'
import { openStore } from '../../packages/collector/src/adapters/open-store.js'
import { createListsStore } from '../../packages/collector/src/adapters/postgres/lists-store.js'

// A full collection on demand, without starting node with --expose-gc.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

export interface ExportRun {
  members: number
  rows: number
  rowsPerSecond: number
  megabytes: number
  heapGrowthMb: number
  retainedMb: number
}
export interface ListExportResult {
  small: ExportRun
  big: ExportRun
}

async function run(n: number): Promise<ExportRun> {
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

export async function runListExport(ctx: BenchContext): Promise<ListExportResult> {
  const arg = process.argv.find((a) => a.startsWith('--contacts='))
  const asked = arg ? Number(arg.slice('--contacts='.length)) : NaN
  const n = Number.isInteger(asked) && asked > 0 ? asked : ctx.quick ? 20_000 : 100_000
  const small = await run(Math.max(1000, Math.round(n / 10)))
  ctx.log(`list-export: ${small.members} members at ${small.rowsPerSecond} rows/s`)
  const big = await run(n)
  ctx.log(`list-export: ${big.members} members at ${big.rowsPerSecond} rows/s`)
  return { small, big }
}
