/**
 * docs/benchmarks.md part 2: score freshness under half load.
 */
import { round1 } from '../lib/stats.js'
import type { FreshnessResult } from '../parts/freshness.js'
import type { StallBreakdown } from '../lib/stalls.js'
import { failed, ms, n, part, table, when, type Part, type Section } from './format.js'

export const freshness: Section = (results) =>
  freshnessSection(part<FreshnessResult>(results, 'freshness'))

function freshnessSection(r: Part<FreshnessResult>) {
  if (!r?.probes) return `## 2. Score freshness\n\n${failed('freshness', r)}`
  return `## 2. Score freshness${when(r)}

Background load at half the measured peak, paced evenly: one request every
${round1(1000 / r.targetRequestsPerSecond)} ms on schedule whether or not earlier ones were answered,
each timed from its scheduled start (${n(r.targetRequestsPerSecond)} requests/s asked,
${n(r.background.eventsPerSecond)} events/s served, ack p50 ${ms(r.background.p50Ms)}, p99
${ms(r.background.p99Ms)}). autocannon's rate mode is not used here: each of its connections sends
its per-second quota back to back at the top of every second, so "half load" arrives as bursts at
full load and measures full-load latency. Meanwhile
a probe sends a new visitor's identify and pricing page view, one at a time, and times from the
acknowledgement (a) until the lookup API returns the score and (b) until the \`score\` entry
arrives on the SSE stream (\`/v1/stream\`).

${table(
  ['', 'p50', 'p99', 'probes'],
  [
    [
      'Score readable through the API after ack',
      ms(r.readableP50Ms),
      ms(r.readableP99Ms),
      n(r.probes),
    ],
    ['Score on the SSE stream after ack', ms(r.streamP50Ms), ms(r.streamP99Ms), n(r.probes)],
  ],
)}

The score is computed inside the ingest transaction, so it is committed before the
acknowledgement: the API column measures the read, the stream column the publish after commit.
${r.streamBeforeAck} probes saw the stream entry before their own acknowledgement arrived;
${r.missed} probes missed (no score within 5 s).
${r.stalls ? stallSection(r.stalls, r.background.p99Ms, r.background.sendLate) : ''}`
}

/** Where the background's acknowledgements spent their time (bench/lib/stalls.ts). */
function stallSection(
  s: StallBreakdown,
  ackP99: number,
  sendLate?: { p50Ms: number; p99Ms: number; maxMs: number },
) {
  const waits = s.waits.slice(0, 6).map((w) => [`PostgreSQL: ${w.what}`, `${w.share} %`, '', ''])
  return `
### Where the half-load acknowledgement waits

Measured during the ${s.seconds} s of background load above (load average ${s.loadAverage[0]} at
its start, ${s.loadAverage[1]} at its end, on a machine shared with other work). Inside the
collector by a preload, \`bench/lib/stall-probe.mjs\`: \`monitorEventLoopDelay\` (less its
10 ms timer interval), GC pauses from a \`PerformanceObserver\`, and group commit's own
timings from its diagnostics channel. In PostgreSQL from \`pg_stat_wal\` with
\`track_wal_io_timing\` on, and \`pg_stat_activity\` sampled every 25 ms (${n(s.samples)}
samples of non-idle connections). For both, \`/proc/<pid>/schedstat\` (time runnable but
waiting for a core).${
    s.checkpoints
      ? ` The window starts right after a \`CHECKPOINT\`, so it sits where a checkpoint cycle
does rather than wherever the earlier parts' WAL left it; checkpoints in it from
\`pg_stat_bgwriter\`.`
      : ''
  } Acknowledgement p99 in the
same window: ${ms(ackP99)}.

${table(
  ['', 'p50 / share', 'p99', 'max'],
  [
    ...(sendLate
      ? [
          [
            'Load generator: request sent late against its schedule (part of every acknowledgement time above)',
            ms(sendLate.p50Ms),
            ms(sendLate.p99Ms),
            ms(sendLate.maxMs),
          ],
        ]
      : []),
    ...(s.requests
      ? [
          [
            `Collector: \`POST /v1/batch\` from its parsed headers to its response's last byte (${n(s.requests.count)} requests)`,
            ms(s.requests.p50Ms),
            ms(s.requests.p99Ms),
            ms(s.requests.maxMs),
          ],
        ]
      : []),
    [
      `Group commit: queue wait per request (${n(s.queue.requests)} requests)`,
      ms(s.queue.p50Ms),
      ms(s.queue.p99Ms),
      ms(s.queue.maxMs),
    ],
    [
      `Group commit: ingest per group (${n(s.ingest.groups)} groups, ${s.ingest.eventsPerGroup} events each)`,
      ms(s.ingest.p50Ms),
      ms(s.ingest.p99Ms),
      ms(s.ingest.maxMs),
    ],
    [
      'Collector event-loop delay',
      ms(s.eventLoop.p50Ms),
      ms(s.eventLoop.p99Ms),
      ms(s.eventLoop.maxMs),
    ],
    [
      `Collector GC pauses (${n(s.gc.pauses)}, ${ms(s.gc.totalMs)} in all; ${n(s.gc.major)} major, ${ms(s.gc.majorMs)})`,
      '',
      ms(s.gc.p99Ms),
      ms(s.gc.maxMs),
    ],
    [
      `WAL fsync (${n(s.wal.syncs)} syncs, ${ms(s.wal.syncTotalMs)} in all; writes ${ms(s.wal.writeTotalMs)})`,
      `${ms(s.wal.syncAvgMs)} average`,
      '',
      '',
    ],
    ...(s.checkpoints
      ? [
          [
            `Checkpoints started in the window: ${n(s.checkpoints.started)} (ended in it: write ${ms(s.checkpoints.writeMs)}, sync ${ms(s.checkpoints.syncMs)})`,
            '',
            '',
            '',
          ],
        ]
      : []),
    ...waits,
    [
      'Collector main thread: waiting for a core / running, per second',
      `${ms(s.runQueue.collectorWaitMsPerS)} / ${ms(s.runQueue.collectorRunMsPerS)}`,
      '',
      '',
    ],
    [
      'PostgreSQL backends: waiting for a core / running, per second',
      `${ms(s.runQueue.postgresWaitMsPerS)} / ${ms(s.runQueue.postgresRunMsPerS)}`,
      '',
      '',
    ],
    ...(s.runQueue.benchWaitMsPerS === undefined
      ? []
      : [
          [
            'Bench process (load generator, probes): waiting for a core / running, per second',
            `${ms(s.runQueue.benchWaitMsPerS)} / ${ms(s.runQueue.benchRunMsPerS ?? 0)}`,
            '',
            '',
          ],
        ]),
  ],
)}

Reading it: the time a connection spends idle inside a transaction is the collector's (its next
statement waits for the event loop, which waits for a core); a WAL fsync is the disk; time
waiting for a core is the machine's other work. Findings below ("Where the half-load
acknowledgement waits").
`
}
