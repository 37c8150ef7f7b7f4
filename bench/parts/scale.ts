import type { BenchContext } from '../lib/context.js'
import { spawnCollector } from '../lib/collector-process.js'
import { runLoad, type LoadResult } from '../lib/load.js'
import { seedContacts } from '../lib/seed.js'
import { percentile, round1 } from '../lib/stats.js'
import { shapeScores, timeDashboardPages, type DashboardResult } from './dashboard.js'

export interface ScaleResult {
  contacts: number
  seededEvents: number
  seedSeconds: number
  full: LoadResult
  /** GET /v1/contacts (what the dashboard's contacts page lists), timed on loopback. */
  contactsPage: { query: string; p50Ms: number; p99Ms: number; requests: number }[]
  /** The dashboard's pages (server-rendered HTML) at that size, after the load. */
  dashboard?: DashboardResult['pages']
  /** Pages that failed (the others are still timed), as the dashboard part records them. */
  dashboardFailures?: DashboardResult['failures']
}

const CONNECTIONS = 50

/**
 * Ingest with many contacts already in the store (1M; 100k with --quick; BENCH_SCALE_CONTACTS
 * to choose), new visitors mixed with the store's size; then the contacts list API and the
 * dashboard's pages, read at that size.
 */
export async function runScale(ctx: BenchContext): Promise<ScaleResult> {
  const pg = await ctx.postgres()
  const dbUrl = await pg.createDatabase('bench_scale')
  const contacts = Number(process.env.BENCH_SCALE_CONTACTS) || (ctx.quick ? 100_000 : 1_000_000)
  const collector = await spawnCollector({ databaseUrl: dbUrl })
  try {
    const ws = collector.workspace!
    ctx.log(`scale: seeding ${contacts.toLocaleString('en')} contacts`)
    const seed = await seedContacts(dbUrl, ws.id, contacts, 1, ctx.log)
    const target = { url: collector.url, writeKey: ws.writeKey }
    await runLoad(target, { seconds: ctx.seconds(8), connections: CONNECTIONS, tag: 'scale' })
    const full = await runLoad(target, {
      seconds: ctx.seconds(20),
      connections: CONNECTIONS,
      tag: 'scale',
    })
    ctx.log(`scale: ${full.eventsPerSecond} events/s at ${contacts} contacts, p99 ${full.p99Ms} ms`)
    const contactsPage = []
    for (const query of [
      'limit=50&sort=score',
      'limit=50&sort=lastSeen',
      'limit=50&trait.company=Company%2042',
    ]) {
      const times: number[] = []
      for (let i = 0; i < (ctx.quick ? 10 : 40); i++) {
        const t0 = performance.now()
        const r = await fetch(`${collector.url}/v1/contacts?${query}`, {
          headers: { authorization: `Bearer ${ws.secretKey}` },
        })
        await r.arrayBuffer()
        if (!r.ok) throw new Error(`GET /v1/contacts?${query} answered ${r.status}`)
        if (i > 0) times.push(performance.now() - t0)
      }
      contactsPage.push({
        query,
        p50Ms: round1(percentile(times, 50)),
        p99Ms: round1(percentile(times, 99)),
        requests: times.length,
      })
    }
    ctx.log('scale: spreading scores and subscriptions like a real workspace for the dashboard')
    await shapeScores(dbUrl, ws.id)
    const failures: NonNullable<DashboardResult['failures']> = []
    const dashboard = await timeDashboardPages(ctx, collector.url, ws.secretKey, undefined, (f) => {
      failures.push(f)
      const d = collector.diagnose?.()
      ctx.log(`scale: ${f.page} failed: ${f.error}; collector exit ${d?.exitCode}`)
      if (d?.stderr) ctx.log(`scale: collector stderr: ${d.stderr}`)
    })
    return {
      contacts,
      seededEvents: contacts,
      seedSeconds: seed.seconds,
      full,
      contactsPage,
      dashboard,
      ...(failures.length > 0 && { dashboardFailures: failures }),
    }
  } finally {
    await collector.stop()
  }
}
