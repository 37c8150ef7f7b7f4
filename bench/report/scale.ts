/**
 * docs/benchmarks.md part 4: ingest, the contacts list and the dashboard with a large store.
 */
import type { IngestResult } from '../parts/ingest.js'
import type { ScaleResult } from '../parts/scale.js'
import {
  failed,
  LOAD_HEAD,
  loadRow,
  ms,
  n,
  part,
  pct,
  table,
  when,
  type Part,
  type Section,
} from './format.js'

export const scale: Section = (results) =>
  scaleSection(part<ScaleResult>(results, 'scale'), part<IngestResult>(results, 'ingest'))

function scaleSection(r: Part<ScaleResult>, ingest: Part<IngestResult>) {
  if (!r?.full) return `## 4. Scale of state\n\n${failed('scale', r)}`
  const empty = ingest?.full?.eventsPerSecond
  return `## 4. Scale of state${when(r)}

${n(r.contacts)} contacts (each with an anonymousId and an email identity, traits and one event;
seeded through SQL in ${r.seedSeconds} s) in the store before the same ingest load runs.

${table(
  [...LOAD_HEAD, 'vs empty store'],
  [
    loadRow(`Full pipeline, ${n(r.contacts)} contacts`, r.full, [
      pct(r.full.eventsPerSecond, empty),
    ]),
    loadRow('Full pipeline, empty store (part 1)', ingest?.full, ['100 %']),
  ],
)}

Contacts list at ${n(r.contacts)} contacts (\`GET /v1/contacts\`, the query the dashboard's
contacts page runs; loopback, sequential, after the load). Sorting by score or last seen reads
an index; a trait filter has no index (traits are free-form JSON) and scans the workspace's
contacts, which is what the third line measures:

${table(
  ['Query', 'p50', 'p99', 'requests'],
  r.contactsPage.map((c) => [`\`${c.query}\``, ms(c.p50Ms), ms(c.p99Ms), n(c.requests)]),
)}
${dashboardTable(r)}`
}

function dashboardTable(r: ScaleResult) {
  if (!r.dashboard?.length) return ''
  return `
The dashboard at ${n(r.contacts)} contacts (\`/app\`, signed in; scores then spread like a real
workspace: most contacts cold, a few hot, 2 % subscribed). Server-rendered pages timed over
loopback one after the other: the first request of each page (cold plans and caches; for the
overview, its uncached computation, then kept 30 s) and the next ones.

${table(
  ['Page', 'first request', 'p50', 'p99', 'requests'],
  r.dashboard.map((p) => [p.page, ms(p.firstMs), ms(p.p50Ms), ms(p.p99Ms), n(p.requests)]),
)}
${r.dashboardFailures?.length ? `\nFailed: ${r.dashboardFailures.map((f) => `${f.page} (${f.error})`).join('; ')}.\n` : ''}`
}
