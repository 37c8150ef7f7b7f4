/**
 * docs/benchmarks.md part 5: the embedded PGlite store against a PostgreSQL server.
 */
import type { EmbeddedResult } from '../parts/embedded.js'
import type { IngestResult } from '../parts/ingest.js'
import {
  failed,
  LOAD_HEAD,
  loadRow,
  part,
  pct,
  table,
  when,
  type Part,
  type Section,
} from './format.js'

export const embedded: Section = (results) =>
  embeddedSection(part<EmbeddedResult>(results, 'embedded'), part<IngestResult>(results, 'ingest'))

function embeddedSection(r: Part<EmbeddedResult>, ingest: Part<IngestResult>) {
  if (!r?.full) return `## 5. Embedded store (PGlite)\n\n${failed('embedded', r)}`
  return `## 5. Embedded store (PGlite)${when(r)}

The same load against \`lodestone start\` without \`DATABASE_URL\`: the default embedded PGlite
store (one session, in the collector process, on disk).

${table(
  [...LOAD_HEAD, 'vs PostgreSQL'],
  [
    loadRow('Embedded PGlite', r.full, [
      pct(r.full.eventsPerSecond, ingest?.full?.eventsPerSecond),
    ]),
    loadRow('PostgreSQL server (part 1)', ingest?.full, ['100 %']),
  ],
)}

PGlite runs every statement on the collector's own thread, one transaction at a time, so it is
the right default for a site or a trial; move to a PostgreSQL server when sustained traffic nears
the figure above or p99 latency matters.
`
}
