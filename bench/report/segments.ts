/**
 * docs/benchmarks.md: segments (ingest CPU with 20 active segments, back-fill, score order at
 * scale) and streamed list exports (docs/segments.md).
 */
import type { SegmentsIngest, SegmentsIngestPostgres, SegmentsResult } from '../parts/segments.js'
import type { SegmentsIngestCollector } from '../parts/segments-collector.js'
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
  r.roundsPct ? r.roundsPct.map((p) => `${p > 0 ? '+' : ''}${p}`).join(', ') : '',
  String(r.transitionsPerEvent),
]

const range = (xs: number[]) => `${Math.min(...xs)} … ${Math.max(...xs)}`

/** The row the target is judged on: the PostgreSQL server, CPU of both processes. */
function postgresSection(p: SegmentsIngestPostgres | undefined, events: number) {
  if (!p) return ''
  const rounds = p.roundsPct ?? []
  const signed = (xs: number[]) => xs.map((x) => `${x > 0 ? '+' : ''}${x}`).join(', ')
  const more = (a: number, b: number) => `${b >= a ? '+' : ''}${n(b - a)} µs`
  return `Ingest CPU per event on the PostgreSQL 15 server (fsync on), the **realistic** load
(below): this process drives two stores on two fresh databases, one without segments and one
with 20, through the store's ingest (one transaction per batch of about 100 events, as group
commit makes them); batch *i* goes to both, one after the other, alternating which goes
first. A side's CPU: this process's main thread while its batch ran (\`/proc/self/task\`
schedstat, exact) and its database's backends (\`/proc/<pid>/schedstat\`, exact, autovacuum
included), plus shares of what runs for both whenever it runs, often in the other side's
batch: V8's background threads (concurrent garbage collection and compilation:
\`process.cpuUsage()\` minus the main thread) in proportion to main-thread time, the server's
shared processes (checkpointer, WAL writer) in proportion to backend time. ${n(events)} events per round after
10,000 first visits (stamped an hour before the traffic, so later events come after them as on
a site); both databases analyzed after those, as autovacuum keeps a running one.
Median of ${rounds.length} rounds; load average at the end of each round ${range(p.roundsLoad)}
(a shared 2-core machine).

${table(
  ['per event', 'no segments', 'with 20', 'increase'],
  [
    [
      '**total**',
      `${n(p.noneUsPerEvent)} µs`,
      `${n(p.twentyUsPerEvent)} µs`,
      `**+${p.increasePct} %** (rounds ${signed(rounds)}; min–max ${range(rounds)})`,
    ],
    [
      'this process, main thread',
      `${n(p.none.mainUs)} µs`,
      `${n(p.twenty.mainUs)} µs`,
      more(p.none.mainUs, p.twenty.mainUs),
    ],
    [
      "the side's PostgreSQL backends",
      `${n(p.none.databaseUs)} µs`,
      `${n(p.twenty.databaseUs)} µs`,
      more(p.none.databaseUs, p.twenty.databaseUs),
    ],
    ['shared server processes', `${n(p.none.sharedUs)} µs`, `${n(p.twenty.sharedUs)} µs`, ''],
    [
      "this process as `process.cpuUsage()` counted it in the side's batches",
      `${n(p.none.processUs)} µs`,
      `${n(p.twenty.processUs)} µs`,
      `total with it: +${p.rawIncreasePct} % (rounds ${signed(p.rawRoundsPct)})`,
    ],
  ],
)}

Transitions per event: ${p.transitionsPerEvent}. Each line is the median of its own column, so
the lines need not add up to the total. The last line, for comparison, counts V8's background
threads where they happened to run instead of sharing them out.

`
}

/** The same traffic end to end: what an operator pays per event, HTTP to commit. */
function collectorSection(p: SegmentsIngestCollector | undefined) {
  if (!p) return ''
  const signed = (xs: number[]) => xs.map((x) => `${x > 0 ? '+' : ''}${x}`).join(', ')
  const more = (a: number, b: number) => `${b >= a ? '+' : ''}${n(b - a)} µs`
  const ofMedians = Math.round((p.twentyUsPerEvent / p.noneUsPerEvent - 1) * 1000) / 10
  return `The same traffic **end to end** (\`bench/parts/segments-collector.ts\`): two \`lodestone
start\` processes, each on its own fresh database of the same server, one without segments and
one with the same 20; this process posts the requests over HTTP (${n(p.events)} events a round
after the 10,000 first visits, 24 requests in flight), in chunks of about 1,000 events, chunk
*i* to one collector and then to the other, alternating which goes first. A side's CPU, read
only while its own chunk runs: its collector process, every thread (HTTP, validation,
enrichment, group commit, identity, scoring, segments, garbage collection), and its
database's backends, exact from \`/proc/<pid>/task/*/schedstat\` and
\`/proc/<pid>/schedstat\`, plus a share of the server's shared processes in proportion to
backend time; the process sending the requests is not counted. Group commit made
${n(p.eventsPerTransaction)} events a transaction (median of the rounds). Median of
${p.roundsPct.length} rounds; load average at the end of each round ${range(p.roundsLoad)}.

${table(
  ['per event', 'no segments', 'with 20', 'increase'],
  [
    [
      '**total**',
      `${n(p.noneUsPerEvent)} µs`,
      `${n(p.twentyUsPerEvent)} µs`,
      `**+${p.increasePct} %** median of rounds (rounds ${signed(p.roundsPct)}); of the median totals +${ofMedians} %`,
    ],
    [
      'collector process',
      `${n(p.none.collectorUs)} µs`,
      `${n(p.twenty.collectorUs)} µs`,
      more(p.none.collectorUs, p.twenty.collectorUs),
    ],
    [
      "the side's PostgreSQL backends",
      `${n(p.none.databaseUs)} µs`,
      `${n(p.twenty.databaseUs)} µs`,
      more(p.none.databaseUs, p.twenty.databaseUs),
    ],
  ],
)}

Transitions per event: ${p.transitionsPerEvent}.

`
}

function segmentsSection(r: Part<SegmentsResult>) {
  if (!r?.varied) return `## Segments\n\n${failed('segments', r)}`
  const rows = [
    ...(r.realistic
      ? [ingestRow("**realistic**: the ingest part's traffic, 20 varied segments", r.realistic)]
      : []),
    ingestRow('stress: 500 visitors, 20 varied segments', r.varied),
    ingestRow('stress: 500 visitors, 20 counting the same events, thresholds 0–19', r.sameEvents),
  ]
  return `## Segments${when(r)}

${postgresSection(r.realisticPostgres, r.events)}${collectorSection(r.realisticCollector)}On the embedded store, ingest CPU per event (collector and embedded database in one process, so one figure holds
both; ${n(r.events)} events after a warm-up; median of ${r.rounds} rounds). Each round opens
two stores, one without segments and one with 20, and feeds them the same transactions one
after the other, alternating which goes first, so the machine's load falls on both alike.${
    r.loadAverage === undefined
      ? ''
      : ` Load average when the part started: ${r.loadAverage} (a shared 2-core machine).`
  }

${table(['load', 'no segments', 'with 20', 'increase', 'rounds (%)', 'transitions / event'], rows)}

Target: at most +15 %, judged on the **realistic** load on the PostgreSQL server (the
first table): it is the traffic users send (the
ingest part's generator: one visitor per request, mostly page views, some engagement tracks,
forms and identify calls, 10,000 visitors each first seen once, about 100 events per
transaction as group commit makes them under load). Its transitions are those of visitors on
an early visit, when scores and counts cross thresholds (each transition writes a
\`Segment Entered\`/\`Exited\` event and a membership row, and a webhook row where a webhook
subscribes; none does here). The stress rows
put a new event of each of 100 contacts in every transaction, 500 visitors crossing several
thresholds within a dozen events: they bound the cost per contact and per transition. On this
shared machine single rounds of one load ranged over 10–30 points (column "rounds"), so read
the medians as a range, not a figure to the percent.

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
