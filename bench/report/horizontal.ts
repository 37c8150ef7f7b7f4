/**
 * docs/benchmarks.md part 6: two collector processes on one database.
 */
import type { HorizontalResult } from '../parts/horizontal.js'
import type { IngestResult } from '../parts/ingest.js'
import {
  failed,
  LOAD_HEAD,
  loadRow,
  n,
  part,
  table,
  when,
  type Part,
  type Section,
} from './format.js'

export const horizontal: Section = (results) =>
  horizontalSection(
    part<HorizontalResult>(results, 'horizontal'),
    part<IngestResult>(results, 'ingest'),
  )

function horizontalSection(r: Part<HorizontalResult>, ingest: Part<IngestResult>) {
  if (!r?.perProcess) return `## 6. Two collector processes\n\n${failed('horizontal', r)}`
  return `## 6. Two collector processes${when(r)}

Two \`lodestone start\` processes on two ports, one PostgreSQL database, the same visitors sent to
both (${r.connections / r.processes} connections each, as a round-robin balancer spreads them).

${table(
  [...LOAD_HEAD],
  [
    ...r.perProcess.map((p, i) => loadRow(`Process ${i + 1}`, p)),
    ['**Total, 2 processes**', n(r.eventsPerSecond), '', '', '', ''],
    loadRow('One process (part 1)', ingest?.full),
  ],
)}

${
  r.visitors
    ? `After the race, the ${n(r.visitors)} visitors the two processes saw (each with its own
anonymousId, email and userId, sent to both processes at once) belong to ${n(r.contacts)} contacts
${r.visitors === r.contacts ? '(one contact per visitor, as it must be).' : '(**not** one per visitor: a bug).'}

`
    : ''
}On this 2-core machine the second process competes with PostgreSQL and the load generator for
the same cores, so this shows that processes share one database correctly under load, not how far
more machines would scale; see [scaling.md](scaling.md).
`
}
