/**
 * docs/benchmarks.md: segments (ingest CPU with 20 active segments, back-fill, score order at
 * scale) and streamed list exports (docs/segments.md).
 */
import type { SegmentsIngest, SegmentsResult } from '../parts/segments.js'
import type { ListExportResult } from '../parts/list-export.js'
import { failed, ms, n, part, table, when, type Part, type Section } from './format.js'

export const segments: Section = (results) =>
  [
    segmentsSection(part<SegmentsResult>(results, 'segments')),
    exportSection(part<ListExportResult>(results, 'list-export')),
  ].join('\n')

const ingestRow = (label: string, r: SegmentsIngest) => [
  label,
  `${n(r.noneUsPerEvent)} µs`,
  `${n(r.twentyUsPerEvent)} µs`,
  `+${r.increasePct} %`,
  String(r.transitionsPerEvent),
]

function segmentsSection(r: Part<SegmentsResult>) {
  if (!r?.varied) return `## Segments\n\n${failed('segments', r)}`
  return `## Segments${when(r)}

Ingest CPU per event (collector and embedded database in one process, so one figure holds
both; ${n(r.events)} events in batches of 100 over 500 visitors after a warm-up; median of
${r.rounds} rounds, alternating which side runs first). Target: at most +15 %.${
    r.loadAverage === undefined
      ? ' The run shared the machine with other work (builds and tests), so single rounds varied by up to ±25 %.'
      : ` Load average when the part started: ${r.loadAverage}.`
  }

${table(
  ['20 active segments', 'no segments', 'with 20', 'increase', 'transitions / event'],
  [
    ingestRow('varied (traits, score, grade, role, counts, last seen, …)', r.varied),
    ingestRow('all counting the same events, thresholds 0–19', r.sameEvents),
  ],
)}

Each transition writes a \`Segment Entered\`/\`Exited\` event and a membership row in the
ingest transaction; this load makes them far more often than real traffic would (every
visitor crosses several thresholds within a dozen events).

At ${n(r.contacts)} contacts on PostgreSQL (seeded through SQL in ${r.seedSeconds} s):

${table(
  ['', ''],
  [
    [
      'Back-fill of a new segment',
      `${n(r.backfill.contactsPerSecond)} contacts/s (${r.backfill.seconds} s)`,
    ],
    [
      `Contacts by score as of now, first page of 50 (${r.scoreOrder.runs} runs)`,
      `p50 ${ms(r.scoreOrder.p50Ms)}, p95 ${ms(r.scoreOrder.p95Ms)}`,
    ],
  ],
)}
`
}

function exportSection(r: Part<ListExportResult>) {
  if (!r?.big) return `### List export\n\n${failed('list-export', r)}`
  return `### List export${when(r)}

A static list streamed as CSV (\`GET /v1/lists/:id/export\`, a page of 1,000 contacts at a
time). "Held after GC" is the heap still in use after a full collection while streaming: it
does not grow with the list.

${table(
  ['members', 'rows/s', 'MB written', 'heap growth', 'held after GC'],
  [r.small, r.big].map((x) => [
    n(x.members),
    n(x.rowsPerSecond),
    String(x.megabytes),
    `${x.heapGrowthMb} MB`,
    `${x.retainedMb} MB`,
  ]),
)}
`
}
