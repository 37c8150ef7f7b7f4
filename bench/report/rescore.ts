/**
 * docs/benchmarks.md: `lodestone rescore` over the large store of part 4.
 */
import type { RescoreResult } from '../parts/rescore.js'
import { failed, n, part, when, type Part, type Section } from './format.js'

export const rescore: Section = (results) => rescoreSection(part<RescoreResult>(results, 'rescore'))

function rescoreSection(r: Part<RescoreResult>) {
  if (!r?.contacts) return `### Rescore\n\n${failed('rescore', r)}`
  return `### Rescore${when(r)}

\`lodestone rescore\` (the CLI; batches of contacts, each replayed from all its events and saved
in one transaction per batch): **${n(r.contacts)} contacts** with ${n(r.events)} events in
**${r.seconds} s** (${n(r.contactsPerSecond)} contacts/s).
`
}
