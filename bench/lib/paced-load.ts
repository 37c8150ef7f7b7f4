import { Agent, request } from 'node:http'
import { createTraffic, type TrafficOptions } from './traffic.js'
import type { LoadResult, LoadTarget } from './load.js'
import { percentile, round1 } from './stats.js'

/**
 * An open-loop load at a steady rate: one request every 1/rate seconds, sent on schedule whether
 * or not earlier ones have been answered (up to `maxInFlight`), each timed from its scheduled
 * start. autocannon's `overallRate` is not this: each connection sends its per-second quota back
 * to back at the top of every second and then waits, so "half the peak rate" arrives as bursts at
 * the full rate, and its latency is full-load latency. This is the load a site's visitors make.
 */
export async function runPacedLoad(
  target: LoadTarget,
  opts: TrafficOptions & { rate: number; seconds: number; maxInFlight?: number },
): Promise<LoadResult> {
  const traffic = createTraffic(opts)
  const url = new URL('/v1/batch', target.url)
  const agent = new Agent({ keepAlive: true, maxSockets: opts.maxInFlight ?? 256 })
  const auth = target.writeKey
    ? { authorization: `Basic ${Buffer.from(`${target.writeKey}:`).toString('base64')}` }
    : {}
  const latencies: number[] = []
  let acknowledged = 0
  let requests = 0
  let failed = 0
  let inFlight = 0
  const send = (scheduledAt: number) =>
    new Promise<void>((resolve) => {
      const b = traffic.next()
      inFlight++
      const done = (ok: boolean) => {
        inFlight--
        if (ok) {
          latencies.push(performance.now() - scheduledAt)
          acknowledged += b.events
          requests++
        } else failed++
        resolve()
      }
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'user-agent': b.userAgent, ...auth },
        },
        (res) => {
          res.resume()
          res.on('end', () => done(res.statusCode! >= 200 && res.statusCode! < 300))
          res.on('error', () => done(false))
        },
      )
      req.on('error', () => done(false))
      req.end(b.body)
    })
  const started = performance.now()
  const interval = 1000 / opts.rate
  const total = Math.round(opts.rate * opts.seconds)
  const pending: Promise<void>[] = []
  const late: number[] = []
  for (let i = 0; i < total; i++) {
    const at = started + i * interval
    const wait = at - performance.now()
    if (wait > 1) await new Promise((r) => setTimeout(r, wait))
    if (inFlight >= (opts.maxInFlight ?? 256)) {
      failed++ // the server fell behind the schedule: counted, not queued without bound
      continue
    }
    late.push(Math.max(0, performance.now() - at))
    pending.push(send(at))
  }
  await Promise.all(pending)
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  return {
    eventsPerSecond: Math.round(acknowledged / seconds),
    requestsPerSecond: Math.round(requests / seconds),
    events: acknowledged,
    requests,
    p50Ms: round1(percentile(latencies, 50)),
    p99Ms: round1(percentile(latencies, 99)),
    failed,
    seconds: round1(seconds),
    sendLate: {
      p50Ms: round1(percentile(late, 50)),
      p99Ms: round1(percentile(late, 99)),
      maxMs: round1(Math.max(0, ...late)),
    },
  }
}
