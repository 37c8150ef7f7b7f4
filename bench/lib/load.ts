import autocannon from 'autocannon'
import { createTraffic, type TrafficOptions } from './traffic.js'

export interface LoadTarget {
  url: string
  /** Write key for Basic auth; unset for the limit servers, which do not check it. */
  writeKey?: string
}

export interface LoadOptions extends TrafficOptions {
  connections?: number
  seconds: number
  /** Requests per second across all connections; unset: as fast as the target answers. */
  rate?: number
}

export interface LoadResult {
  eventsPerSecond: number
  requestsPerSecond: number
  events: number
  requests: number
  p50Ms: number
  p99Ms: number
  failed: number
  seconds: number
  /**
   * Paced load only: how late each request left against its schedule (the generator waiting
   * for a core or its event loop), part of every latency timed from the schedule.
   */
  sendLate?: { p50Ms: number; p99Ms: number; maxMs: number }
}

/**
 * Posts generated Segment batches to `/v1/batch` with autocannon, a new body per request, and
 * counts the events of 2xx answers only, so failures never inflate the figure.
 *
 * @example
 * const r = await runLoad({ url: 'http://127.0.0.1:8787', writeKey }, { seconds: 10 })
 */
export async function runLoad(target: LoadTarget, opts: LoadOptions): Promise<LoadResult> {
  const traffic = createTraffic(opts)
  let acknowledged = 0
  let failed = 0
  const auth = target.writeKey
    ? { authorization: `Basic ${Buffer.from(`${target.writeKey}:`).toString('base64')}` }
    : {}
  const result = await autocannon({
    url: target.url,
    connections: opts.connections ?? 50,
    duration: opts.seconds,
    overallRate: opts.rate,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/v1/batch',
        setupRequest(req, context) {
          const b = traffic.next()
          context.events = b.events
          return {
            ...req,
            body: b.body,
            headers: { 'content-type': 'application/json', 'user-agent': b.userAgent, ...auth },
          }
        },
        onResponse(status, _body, context) {
          if (status >= 200 && status < 300) acknowledged += context.events as number
          else failed++
        },
      },
    ],
  })
  const seconds = result.duration
  return {
    eventsPerSecond: Math.round(acknowledged / seconds),
    requestsPerSecond: Math.round(result['2xx'] / seconds),
    events: acknowledged,
    requests: result['2xx'],
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failed: failed + result.errors + result.timeouts,
    seconds,
  }
}
