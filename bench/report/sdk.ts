/**
 * docs/benchmarks.md part 3: SDK sizes against other SDKs, and the cost of `track()`.
 */
import type { SdkResult } from '../parts/sdk.js'
import { failed, kb, n, part, table, when, type Part, type Section } from './format.js'

export const sdk: Section = (results) => sdkSection(part<SdkResult>(results, 'sdk'))

function sdkSection(r: Part<SdkResult>) {
  if (!r?.sizes) return `## 3. SDK\n\n${failed('sdk', r)}`
  const rows = [...r.sizes]
    .sort((a, b) => a.minGzip - b.minGzip)
    .map((s) => [
      s.name.startsWith('Lodestone') ? `**${s.name}**` : s.name,
      kb(s.bytes),
      kb(s.minGzip),
    ])
  const track = r.track
    ? `\`track()\` main-thread cost in Chromium (full build, ${n(r.track.calls)} calls timed in runs of
${r.track.callsPerRun ?? 10} with a ${r.track.timerResolutionUs} µs timer): median
**${r.track.medianUs} µs** per call, p99 ${r.track.p99Us} µs.`
    : `\`track()\` cost in Chromium was not measured: ${r.trackError ?? 'unknown error'}.`
  return `## 3. SDK${when(r)}

Script-tag builds, each minified with the same esbuild and gzipped at level 9 (the smaller of that
and the file as shipped, so no SDK is penalised for our minifier). The other SDKs are their npm
packages' browser bundles, installed as dev dependencies of \`bench/\`.

${table(['Script-tag build', 'bytes as shipped', 'min+gzip'], rows)}

${track}
`
}
