/**
 * docs/benchmarks.md: the targets of issue #8 against this run.
 */
import type { FreshnessResult } from '../parts/freshness.js'
import type { IngestResult } from '../parts/ingest.js'
import type { ScaleResult } from '../parts/scale.js'
import type { SdkResult } from '../parts/sdk.js'
import { kb, ms, n, table, type Part, type Results, type Section } from './format.js'

export const targets: Section = (results) => targetsSection(results)

function targetsSection(results: Results) {
  const ingest = results.ingest as Part<IngestResult>
  const fresh = results.freshness as Part<FreshnessResult>
  const sdk = results.sdk as Part<SdkResult>
  const scale = results.scale as Part<ScaleResult>
  const size = (prefix: string) => sdk?.sizes?.find((s) => s.name.startsWith(prefix))?.minGzip
  const core = size('Lodestone core')
  const full = size('Lodestone full')
  const others = (sdk?.sizes ?? []).filter((s) => !s.name.startsWith('Lodestone'))
  const smallest = others.length ? Math.min(...others.map((s) => s.minGzip)) : undefined
  const met = (ok: boolean | undefined) => (ok === undefined ? '—' : ok ? 'met' : '**not met**')
  const eps = ingest?.full?.eventsPerSecond
  const scaleRatio = scale?.full && eps ? scale.full.eventsPerSecond / eps : undefined
  return `## Targets (issue #8) against this run

${table(
  ['Target', 'Measured', ''],
  [
    [
      'Full pipeline ≥ 20,000 events/s',
      `${n(eps)} events/s`,
      met(eps === undefined ? undefined : eps >= 20_000),
    ],
    [
      'p99 acknowledgement ≤ 50 ms at half load',
      fresh?.background ? ms(fresh.background.p99Ms) : '—',
      met(fresh?.background ? fresh.background.p99Ms <= 50 : undefined),
    ],
    [
      'Score freshness p99 ≤ 50 ms (SSE)',
      ms(fresh?.streamP99Ms),
      met(fresh?.streamP99Ms == null ? undefined : fresh.streamP99Ms <= 50),
    ],
    [
      'SDK core ≤ 5 KB min+gzip',
      core ? kb(core) : '—',
      met(core === undefined ? undefined : core <= 5 * 1024),
    ],
    [
      'SDK full ≤ 9 KB, smallest in the table',
      full ? kb(full) : '—',
      met(
        full === undefined || smallest === undefined
          ? undefined
          : full <= 9 * 1024 && full < smallest,
      ),
    ],
    [
      'Ingest at 1M contacts within 20 % of empty',
      scaleRatio === undefined
        ? '—'
        : `${Math.round(scaleRatio * 100)} % at ${n(scale!.contacts)} contacts`,
      met(scaleRatio === undefined ? undefined : scaleRatio >= 0.8 && scale!.contacts >= 1_000_000),
    ],
  ],
)}

The throughput target is far from met on this machine: the CPU per event of the collector and
PostgreSQL together (part 1's CPU table) bounds it on two cores; see the profile findings.
`
}
