/**
 * docs/benchmarks.md part 7: log mode (capture to NATS JetStream, then processing).
 */
import type { IngestResult } from '../parts/ingest.js'
import type { LogModeResult } from '../parts/log.js'
import { failed, ms, n, part, pct, table, when, type Part, type Section } from './format.js'

export const log: Section = (results) =>
  logSection(part<LogModeResult>(results, 'log'), part<IngestResult>(results, 'ingest'))

function logSection(r: Part<LogModeResult>, ingest: Part<IngestResult>) {
  if (!r?.capture) return `## 7. Log mode (NATS JetStream)\n\n${failed('log', r)}`
  const p = r.processing
  return `## 7. Log mode (NATS JetStream)${when(r)}

Three \`nats-server\` nodes (a JetStream cluster on loopback, stream replicas ${r.replicas},
${r.partitions} partitions), one \`lodestone start\` in log mode answering 200 after JetStream's
acknowledgement, then one \`lodestone process\` draining what it captured into PostgreSQL
(load average ${r.loadAverage.start} at the start of the part, ${r.loadAverage.end} at its end: the
machine was shared, so the figures are depressed and vary between runs).

${table(
  ['', 'events/s', 'p50', 'p99', 'as a share of'],
  [
    [
      'JetStream publish limit (event-sized, Nats-Msg-Id, 256 in flight)',
      n(r.publishLimit.eventsPerSecond),
      '',
      '',
      '',
    ],
    [
      '**Capture tier**: one collector, acknowledged',
      n(r.capture.eventsPerSecond),
      ms(r.capture.p50Ms),
      ms(r.capture.p99Ms),
      `${pct(r.capture.eventsPerSecond, r.publishLimit.eventsPerSecond)} of the publish limit`,
    ],
    [
      '**One processor** (batch pipeline, backlog of ' + n(p.events) + ' events)',
      n(p.eventsPerSecond),
      '',
      '',
      ingest?.groupCommitLimit
        ? `${pct(p.eventsPerSecond, ingest.groupCommitLimit.eventsPerSecond)} of raw group-commit insert (part 1)`
        : '',
    ],
    [
      'Freshness: ack → score readable (API), background ' +
        n(r.freshness.backgroundRequestsPerSecond) +
        ' requests/s',
      '',
      ms(r.freshness.p50Ms),
      ms(r.freshness.p99Ms),
      `${n(r.freshness.probes)} probes`,
    ],
  ],
)}

CPU per 1,000 events: capture ${n(r.captureCpuPer1000Events.collectorMs)} ms (collector process);
processing ${n(p.cpuPer1000Events.processorMs)} ms (processor) + ${n(p.cpuPer1000Events.postgresMs)} ms
(PostgreSQL). See [scaling.md](scaling.md) for the sizing these give.
`
}
