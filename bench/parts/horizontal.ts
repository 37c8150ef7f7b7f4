import type { BenchContext } from '../lib/context.js'
import { spawnCollector, type CollectorProcess } from '../lib/collector-process.js'
import { runLoad, type LoadResult } from '../lib/load.js'
import { loadPostgres } from '../lib/collector-deps.js'

export interface HorizontalResult {
  processes: number
  /** Summed over the processes (each driven by its own 25 connections). */
  eventsPerSecond: number
  perProcess: LoadResult[]
  connections: number
  /** After the race: visitors seen, and contacts their events belong to (equal when correct). */
  visitors: number
  contacts: number
}

const CONNECTIONS = 50

/**
 * Two collector processes on two ports sharing one PostgreSQL database, loaded at the same time
 * (half the connections each, as a round-robin balancer would spread them).
 */
export async function runHorizontal(ctx: BenchContext): Promise<HorizontalResult> {
  const pg = await ctx.postgres()
  const dbUrl = await pg.createDatabase('bench_horizontal')
  const first = await spawnCollector({ databaseUrl: dbUrl })
  const procs: CollectorProcess[] = [first]
  try {
    procs.push(await spawnCollector({ databaseUrl: dbUrl, freshDatabase: false }))
    const writeKey = first.workspace!.writeKey
    const per = CONNECTIONS / procs.length
    const load = (seconds: number) =>
      Promise.all(
        procs.map((p, i) =>
          // Same visitors on both processes (one seed), so they race on shared identities.
          runLoad({ url: p.url, writeKey }, { seconds, connections: per, tag: 'h', seed: 7 + i }),
        ),
      )
    await load(ctx.seconds(6))
    const perProcess = await load(ctx.seconds(20))
    const eventsPerSecond = perProcess.reduce((a, r) => a + r.eventsPerSecond, 0)
    // Each generated visitor has its own anonymousId, email and userId, so however the two
    // processes interleaved, every visitor must have ended as exactly one contact.
    const sql = loadPostgres()(dbUrl, { max: 1, onnotice: () => {} })
    const [row] = await sql`select count(distinct anonymous_id)::int as visitors,
      count(distinct contact_id)::int as contacts from events where anonymous_id like 'h-anon-%'`
    await sql.end({ timeout: 5 })
    ctx.log(
      `horizontal: ${procs.length} processes, ${eventsPerSecond} events/s in total; ${row!.visitors} visitors, ${row!.contacts} contacts`,
    )
    return {
      processes: procs.length,
      eventsPerSecond,
      perProcess,
      connections: CONNECTIONS,
      visitors: row!.visitors as number,
      contacts: row!.contacts as number,
    }
  } finally {
    for (const p of procs) await p.stop()
  }
}
