// Loaded into a benchmarked collector with `node --import` (bench/lib/stalls.ts): measures, from
// inside the process, what can hold an acknowledgement back there. On each SIGUSR2 it writes what
// it saw since the previous one to the file named by LODESTONE_BENCH_STALLS and starts over:
// - the event loop's delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution, subtracted),
// - garbage-collection pauses by kind (PerformanceObserver 'gc'),
// - group commit's queue wait per request and ingest time per group, from the collector's
//   diagnostics channel (packages/collector/src/adapters/postgres/group-commit.ts),
// - each `POST /v1/batch` from the moment Node parsed its headers to its response's last byte
//   (Node's `http.server.request.start` / `http.server.response.finish` channels): the
//   acknowledgement as the collector sees it, without the client's lateness or the kernel's
//   queues in front of the collector.
import { subscribe } from 'node:diagnostics_channel'
import { renameSync, writeFileSync } from 'node:fs'
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks'

const file = process.env.LODESTONE_BENCH_STALLS
if (file) {
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  let gc = []
  let queued = []
  let ingest = []
  let events = 0
  let requests = []
  const started = new WeakMap()
  subscribe('http.server.request.start', ({ request }) => {
    if (request.method === 'POST' && request.url?.startsWith('/v1/batch'))
      started.set(request, performance.now())
  })
  subscribe('http.server.response.finish', ({ request }) => {
    const at = started.get(request)
    if (at !== undefined) requests.push(performance.now() - at)
  })
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.push([
        e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR ? 'major' : 'other',
        e.duration,
      ])
    }
  }).observe({ entryTypes: ['gc'] })
  subscribe('lodestone:group-commit', (t) => {
    for (const q of t.queuedMs) queued.push(q)
    ingest.push(t.ingestMs)
    events += t.events
  })
  process.on('SIGUSR2', () => {
    // The histogram holds each interval between the 10 ms timer's runs: the delay is the rest.
    const ms = (ns) => Math.max(0, ns / 1e6 - 10)
    // Written whole, then renamed: the reader never sees half a file.
    writeFileSync(
      `${file}.tmp`,
      JSON.stringify({
        loop: {
          p50: ms(loop.percentile(50)),
          p99: ms(loop.percentile(99)),
          max: ms(loop.max),
        },
        gc,
        queued,
        ingest,
        events,
        requests,
      }),
    )
    renameSync(`${file}.tmp`, file)
    loop.reset()
    gc = []
    queued = []
    ingest = []
    events = 0
    requests = []
  })
}
