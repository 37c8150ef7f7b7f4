import { connect } from '@nats-io/transport-node'
import { jetstream, RetentionPolicy, StorageType } from '@nats-io/jetstream'
import { jetStreamReady } from '../../packages/collector/src/log/nats.js'
import type { BenchContext } from '../lib/context.js'
import { spawnCollector } from '../lib/collector-process.js'
import { runLoad, type LoadResult } from '../lib/load.js'
import { runPacedLoad } from '../lib/paced-load.js'
import { createTraffic } from '../lib/traffic.js'
import { cpuSeconds } from '../lib/cpu-usage.js'
import { loadAverage } from '../lib/machine.js'
import { loadPostgres } from '../lib/collector-deps.js'
import { percentile, round1 } from '../lib/stats.js'
import { startNatsCluster } from '../../test/support/nats-cluster.js'

export interface LogModeResult {
  replicas: number
  partitions: number
  /** Raw JetStream publishes (event-sized, with Nats-Msg-Id) acknowledged per second. */
  publishLimit: { eventsPerSecond: number; events: number; seconds: number }
  /** Events acknowledged by one collector in log mode (no processor running meanwhile). */
  capture: LoadResult
  /** One `lodestone process` draining the backlog the capture run left. */
  processing: {
    eventsPerSecond: number
    events: number
    seconds: number
    cpuPer1000Events: { processorMs: number; postgresMs: number }
  }
  /** Capture CPU per 1,000 acknowledged events (collector process). */
  captureCpuPer1000Events: { collectorMs: number }
  /** From a probe's 200 to its score readable through the API, under paced background load. */
  freshness: { p50Ms: number; p99Ms: number; probes: number; backgroundRequestsPerSecond: number }
  loadAverage: { start: number; end: number }
}

const REPLICAS = 3
const PARTITIONS = 8
const CONNECTIONS = 50

/**
 * Log mode (docs/scaling.md) on a three-node JetStream cluster on this machine: what the capture
 * tier acknowledges against the publish limit of the same cluster, what one processor commits,
 * and how long an acknowledged event takes to show in its contact's score.
 */
export async function runLogMode(ctx: BenchContext): Promise<LogModeResult> {
  const startLoad = loadAverage()
  const pg = await ctx.postgres()
  const nats = await startNatsCluster(3)
  const env = {
    NATS_URL: nats.url,
    LODESTONE_LOG_REPLICAS: String(REPLICAS),
    LODESTONE_LOG_PARTITIONS: String(PARTITIONS),
  }
  try {
    const publishLimit = await measurePublishLimit(nats.url, ctx.seconds(10))
    ctx.log(`log: JetStream publish limit ${publishLimit.eventsPerSecond} events/s`)

    const dbUrl = await pg.createDatabase('bench_log')
    const collector = await spawnCollector({ databaseUrl: dbUrl, env })
    const target = { url: collector.url, writeKey: collector.workspace!.writeKey }
    let capture: LoadResult
    let captureCpu: number
    let backlog: number
    try {
      const warm = await runLoad(target, {
        seconds: ctx.seconds(3),
        connections: CONNECTIONS,
        tag: 'log',
      })
      const before = cpuSeconds(collector.pid)
      capture = await runLoad(target, {
        seconds: ctx.seconds(15),
        connections: CONNECTIONS,
        tag: 'log',
        seed: 43,
      })
      captureCpu = cpuSeconds(collector.pid) - before
      backlog = warm.events + capture.events
      ctx.log(`log: capture ${capture.eventsPerSecond} events/s, p99 ${capture.p99Ms} ms`)

      const sql = loadPostgres()(dbUrl, { max: 1, onnotice: () => {} })
      const count = async () =>
        ((await sql`select count(*)::int as n from events`)[0]!.n as number) ?? 0
      const processor = await spawnCollector({ databaseUrl: dbUrl, env, command: 'process' })
      let processing: LogModeResult['processing']
      try {
        const cpu0 = { proc: cpuSeconds(processor.pid), pg: pg.cpuSeconds() }
        let started = 0
        let n = 0
        const deadline = Date.now() + 600_000
        while (n < backlog && Date.now() < deadline) {
          n = await count()
          if (n > 0 && !started) started = performance.now()
          await new Promise((r) => setTimeout(r, 100))
        }
        const seconds = (performance.now() - started) / 1000
        const per1k = (s: number) => Math.round((s * 1e6) / Math.max(1, n))
        processing = {
          eventsPerSecond: Math.round(n / seconds),
          events: n,
          seconds: round1(seconds),
          cpuPer1000Events: {
            processorMs: per1k(cpuSeconds(processor.pid) - cpu0.proc),
            postgresMs: per1k(pg.cpuSeconds() - cpu0.pg),
          },
        }
        ctx.log(`log: one processor ${processing.eventsPerSecond} events/s (${n} events)`)

        const perRequest = capture.events / Math.max(1, capture.requests)
        // A quarter of what one processor drained: latency, not a queue (the collector, the load
        // generator, the processor and PostgreSQL share the machine's cores meanwhile).
        const rate = Math.max(5, Math.round(processing.eventsPerSecond / perRequest / 4))
        const freshness = await probeFreshness(
          collector.url,
          collector.workspace!,
          rate,
          ctx.seconds(15),
        )
        ctx.log(`log: freshness ack → score p99 ${freshness.p99Ms} ms at ${rate} requests/s`)
        return {
          replicas: REPLICAS,
          partitions: PARTITIONS,
          publishLimit,
          capture,
          processing,
          captureCpuPer1000Events: {
            collectorMs: Math.round((captureCpu * 1e6) / Math.max(1, capture.events)),
          },
          freshness: { ...freshness, backgroundRequestsPerSecond: rate },
          loadAverage: { start: startLoad, end: loadAverage() },
        }
      } finally {
        await processor.stop()
        await sql.end({ timeout: 5 })
      }
    } finally {
      await collector.stop()
    }
  } finally {
    await nats.stop()
  }
}

/** Event-sized JetStream publishes with message ids, many in flight, on a stream of its own. */
async function measurePublishLimit(servers: string, seconds: number) {
  const nc = await connect({ servers: servers.split(',') })
  const jsm = await jetStreamReady(nc)
  for (let i = 0; ; i++) {
    try {
      await jsm.streams.add({
        name: 'BENCH_RAW',
        subjects: ['bench.raw.*'],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        num_replicas: REPLICAS,
      })
      break
    } catch (err) {
      if (i > 40) throw err
      await new Promise((r) => setTimeout(r, 500))
    }
  }
  const js = jetstream(nc)
  const traffic = createTraffic({ tag: 'raw' })
  const bodies: string[] = []
  for (let i = 0; i < 200; i++)
    for (const e of JSON.parse(traffic.next().body).batch) bodies.push(JSON.stringify(e))
  let acked = 0
  let seq = 0
  const end = performance.now() + seconds * 1000
  const worker = async () => {
    while (performance.now() < end) {
      const n = ++seq
      await js.publish(`bench.raw.${n % PARTITIONS}`, bodies[n % bodies.length]!, {
        msgID: `raw-${n}`,
      })
      acked++
    }
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: 256 }, worker))
  const took = (performance.now() - t0) / 1000
  await nc.close()
  return { eventsPerSecond: Math.round(acked / took), events: acked, seconds: round1(took) }
}

/** Probes (identify + pricing page of a new visitor) timed from their 200 to a score > 0. */
async function probeFreshness(
  url: string,
  ws: { writeKey: string; secretKey: string },
  rate: number,
  seconds: number,
) {
  const background = runPacedLoad({ url, writeKey: ws.writeKey }, { seconds, rate, tag: 'logbg' })
  const auth = `Basic ${Buffer.from(`${ws.writeKey}:`).toString('base64')}`
  const times: number[] = []
  const deadline = Date.now() + (seconds - 1) * 1000
  let n = 0
  while (Date.now() < deadline) {
    const anon = `log-probe-${++n}-${Date.now()}`
    const now = new Date().toISOString()
    const res = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        batch: [
          {
            type: 'page',
            name: 'Pricing',
            anonymousId: anon,
            messageId: `${anon}-p`,
            timestamp: now,
            properties: { url: 'https://www.acme.example/pricing' },
          },
        ],
      }),
    })
    if (res.status !== 200) continue
    const acked = performance.now()
    for (let i = 0; i < 2000; i++) {
      const r = await fetch(`${url}/v1/contacts/lookup?anonymousId=${anon}`, {
        headers: { authorization: `Bearer ${ws.secretKey}` },
      })
      if (r.status === 200) {
        const c = (await r.json()) as { score?: { total?: number } }
        if ((c.score?.total ?? 0) > 0) {
          times.push(performance.now() - acked)
          break
        }
      } else await r.arrayBuffer()
      await new Promise((r) => setTimeout(r, 5))
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  await background
  return {
    p50Ms: round1(percentile(times, 50)),
    p99Ms: round1(percentile(times, 99)),
    probes: times.length,
  }
}
