import type { BenchContext } from '../lib/context.js'
import { spawnCollector } from '../lib/collector-process.js'
import { runLoad, type LoadResult } from '../lib/load.js'

export interface EmbeddedResult {
  full: LoadResult
  connections: number
}

const CONNECTIONS = 50

/** The same ingest load against the default embedded store (PGlite, one session, on disk). */
export async function runEmbedded(ctx: BenchContext): Promise<EmbeddedResult> {
  const collector = await spawnCollector()
  try {
    const target = { url: collector.url, writeKey: collector.workspace!.writeKey }
    ctx.log('embedded: warming (PGlite)')
    await runLoad(target, { seconds: ctx.seconds(6), connections: CONNECTIONS, tag: 'embedded' })
    const full = await runLoad(target, {
      seconds: ctx.seconds(15),
      connections: CONNECTIONS,
      tag: 'embedded',
    })
    ctx.log(`embedded: ${full.eventsPerSecond} events/s, p99 ${full.p99Ms} ms`)
    return { full, connections: CONNECTIONS }
  } finally {
    await collector.stop()
  }
}
