/**
 * docs/benchmarks.md: the machine the figures were measured on.
 */
import { table, type Results, type Section } from './format.js'

export const machine: Section = (results: Results) =>
  machineSection(results.machine as Record<string, unknown> | undefined)

function machineSection(m: Record<string, unknown> | undefined) {
  if (!m) return ''
  return `## Machine

${table(
  ['', ''],
  [
    ['CPU', String(m.cpu)],
    ['Cores', String(m.cores)],
    ['Memory', `${m.memoryGiB} GiB`],
    ['OS', String(m.os)],
    ['Node', String(m.node)],
    ['PostgreSQL', String(m.postgres)],
    ['Load average when the run started (1 min)', String(m.loadAverage ?? '—')],
    ['Date', String(m.date)],
    [
      'Mode',
      m.quick
        ? '`--quick` (short phases, smaller stores: a smoke run, not figures to quote)'
        : 'full',
    ],
  ],
)}

The load generator, the collector and PostgreSQL share the machine's ${m.cores} cores${
    Number(m.loadAverage) > 1
      ? `, and other work was running when the run started (load average ${m.loadAverage})`
      : ''
  }, so absolute figures are noisy (±30 % between runs is normal on a shared machine). The ratios within one part are more stable
than the absolute numbers, because both sides of a ratio ran minutes apart on the same machine.
Parts run in the order below except that the profile runs first: it also warms the just-started
PostgreSQL server (an ingest load run first on a cold server measured 50 and 104 events/s in two
runs, against 810 a few minutes later). Parts may come from separate invocations
(\`pnpm bench <part>\`); each part's date is shown with it.
`
}
