/**
 * docs/benchmarks.md part 2: score freshness under half load.
 */
import { round1 } from '../lib/stats.js'
import type { FreshnessResult } from '../parts/freshness.js'
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
`
}
