import type { BenchContext } from '../lib/context.js'
import { spawnCollector } from '../lib/collector-process.js'
import { runLoad, type LoadResult } from '../lib/load.js'
import { openStream } from '../lib/sse.js'
import { runPacedLoad } from '../lib/paced-load.js'
import { percentile, round1 } from '../lib/stats.js'
import type { IngestResult } from './ingest.js'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { pathToFileURL } from 'node:url'
import { STALL_PROBE, watchStalls, type StallBreakdown } from '../lib/stalls.js'

export interface FreshnessResult {
  background: LoadResult
  targetRequestsPerSecond: number
  probes: number
  readableP50Ms: number
  readableP99Ms: number
  streamP50Ms: number
  streamP99Ms: number
  /** Probes whose score reached the stream before the client had the acknowledgement. */
  streamBeforeAck: number
  missed: number
  /** Where the background's acknowledgements spent their time (bench/lib/stalls.ts). */
  stalls?: StallBreakdown
}

/**
 * At half the measured peak (requests paced evenly, open loop), a probe sends a new visitor's identify + pricing page view and
 * times, from its acknowledgement, (a) the score readable through the lookup API and (b) the
 * `score` entry arriving on the SSE stream.
 */
export async function runFreshness(ctx: BenchContext): Promise<FreshnessResult> {
  const pg = await ctx.postgres()
  const probeFile = join(tmpdir(), `lodestone-stalls-${process.pid}.json`)
  const collector = await spawnCollector({
    databaseUrl: await pg.createDatabase('bench_fresh'),
    // BENCH_NODE_ARGS: extra node flags for the collector (A/B runs of V8 settings).
    nodeArgs: [
      '--import',
      pathToFileURL(STALL_PROBE).href,
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    env: { LODESTONE_BENCH_STALLS: probeFile },
  })
  const ws = collector.workspace!
  const target = { url: collector.url, writeKey: ws.writeKey }
  try {
    let peak = (ctx.results.ingest as IngestResult | undefined)?.full?.requestsPerSecond
    if (!peak) {
      ctx.log('freshness: no peak from the ingest part, measuring one')
      peak = (await runLoad(target, { seconds: ctx.seconds(8), tag: 'fresh' })).requestsPerSecond
    } else {
      await runLoad(target, { seconds: ctx.seconds(6), tag: 'fresh' })
    }
    const rate = Math.max(5, Math.round(peak / 2))
    const waiting = new Map<string, (at: number) => void>()
    const contactOf = new Map<string, string>()
    const stream = await openStream(
      `${collector.url}/v1/stream`,
      ws.secretKey,
      (event, data, at) => {
        if (event === 'events') {
          for (const e of JSON.parse(data).events as { messageId: string; contactId: string }[])
            // A probe's identify is `probe-N-i`, its page view `probe-N`: both map to probe N.
            if (e.messageId.startsWith('probe-'))
              contactOf.set(e.contactId, e.messageId.replace(/-i$/, ''))
        } else if (event === 'score') {
          const id = contactOf.get(JSON.parse(data).contactId)
          if (id) waiting.get(id)?.(at)
        }
      },
    )
    const seconds = ctx.seconds(20)
    ctx.log(`freshness: background ${rate} requests/s, probing for ${seconds} s`)
    const watch = await watchStalls({
      pid: collector.pid,
      probeFile,
      adminUrl: pg.service.url,
      database: 'bench_fresh',
      // The ingest part's WAL (about 0.5 GB) has nearly used up the checkpoint distance: run
      // the window from the start of a checkpoint cycle, as a server spends most of its time,
      // instead of wherever the earlier parts left it. Checkpoints in the window are reported.
      checkpointFirst: true,
    })
    const background = runPacedLoad(target, { seconds, rate, tag: 'fresh' })
    const readable: number[] = []
    const streamed: number[] = []
    let before = 0
    let missed = 0
    let n = 0
    const auth = `Basic ${Buffer.from(`${ws.writeKey}:`).toString('base64')}`
    const deadline = Date.now() + (seconds - 1) * 1000
    while (Date.now() < deadline) {
      const id = `probe-${++n}`
      const anon = `probe-anon-${n}-${Date.now()}`
      const streamedAt = new Promise<number>((resolve) => waiting.set(id, resolve))
      const now = new Date().toISOString()
      const body = JSON.stringify({
        batch: [
          {
            type: 'identify',
            messageId: `${id}-i`,
            anonymousId: anon,
            timestamp: now,
            traits: { email: `${anon}@probe.example`, title: 'VP Marketing' },
          },
          {
            type: 'page',
            messageId: id,
            anonymousId: anon,
            timestamp: now,
            name: 'Pricing',
            properties: { url: 'https://www.acme.example/pricing', path: '/pricing' },
          },
        ],
      })
      const res = await fetch(`${collector.url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body,
      })
      await res.arrayBuffer()
      const acked = performance.now()
      if (!res.ok) {
        missed++
        continue
      }
      for (;;) {
        const r = await fetch(`${collector.url}/v1/contacts/lookup?anonymousId=${anon}`, {
          headers: { authorization: `Bearer ${ws.secretKey}` },
        })
        const contact = r.ok ? ((await r.json()) as { score?: { grade?: string | null } }) : null
        if (contact?.score?.grade) break
        if (performance.now() - acked > 5000) {
          missed++
          break
        }
        await new Promise((r) => setTimeout(r, 2))
      }
      readable.push(performance.now() - acked)
      const t = await Promise.race([
        streamedAt,
        new Promise<null>((r) => setTimeout(() => r(null), 5000)),
      ])
      waiting.delete(id)
      if (t === null) missed++
      else {
        if (t < acked) before++
        streamed.push(Math.max(0, t - acked))
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    const bg = await background
    const stalls = await watch.stop()
    await stream.close()
    return {
      background: bg,
      targetRequestsPerSecond: rate,
      probes: n,
      readableP50Ms: round1(percentile(readable, 50)),
      readableP99Ms: round1(percentile(readable, 99)),
      streamP50Ms: round1(percentile(streamed, 50)),
      streamP99Ms: round1(percentile(streamed, 99)),
      streamBeforeAck: before,
      missed,
      stalls,
    }
  } finally {
    await collector.stop()
  }
}
