/**
 * `pnpm bench [part …]`: runs the benchmark parts (all by default), keeps their figures in
 * bench/results/latest.json and rewrites docs/benchmarks.md from them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './lib/collector-deps.js'
import { createContext, type BenchContext } from './lib/context.js'
import { loadAverage, machine } from './lib/machine.js'
import { renderReport } from './report/render.js'
import { runIngest } from './parts/ingest.js'
import { runFreshness } from './parts/freshness.js'
import { runSdk } from './parts/sdk.js'
import { runProfile } from './parts/profile.js'
import { runEmbedded } from './parts/embedded.js'
import { runScale } from './parts/scale.js'
import { runRescore } from './parts/rescore.js'
import { runHorizontal } from './parts/horizontal.js'
import { runLogMode } from './parts/log.js'
import { runSegments } from './parts/segments.js'
import { runDashboard } from './parts/dashboard.js'
import { runListExport } from './parts/list-export.js'

// In run order. The profile part goes first on purpose: it also warms the new PostgreSQL server
// (in two runs, whichever ingest load ran first on a just-started server measured 5–10 times
// lower than the same load a minute later), so the figures compared below are all warm.
const PARTS: Record<string, (ctx: BenchContext) => Promise<unknown>> = {
  profile: runProfile,
  ingest: runIngest,
  freshness: runFreshness,
  sdk: runSdk,
  horizontal: runHorizontal,
  embedded: runEmbedded,
  rescore: runRescore,
  scale: runScale,
  log: runLogMode,
  segments: runSegments,
  dashboard: runDashboard,
  'list-export': runListExport,
}

const RESULTS = join(ROOT, 'bench/results/latest.json')

async function main() {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const unknown = asked.filter((p) => !(p in PARTS))
  if (unknown.length > 0) {
    console.error(`unknown part(s): ${unknown.join(', ')}; parts: ${Object.keys(PARTS).join(', ')}`)
    process.exit(2)
  }
  // `--report`: only rewrite docs/benchmarks.md from the stored figures.
  const parts = process.argv.includes('--report')
    ? []
    : asked.length > 0
      ? asked
      : Object.keys(PARTS)
  const results: Record<string, unknown> = existsSync(RESULTS)
    ? JSON.parse(readFileSync(RESULTS, 'utf8'))
    : {}
  const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1'
  const ctx = createContext(results, quick)
  const started = Date.now()
  const load = loadAverage()
  try {
    for (const part of parts) {
      ctx.log(`part ${part}`)
      try {
        results[part] = {
          ...((await PARTS[part]!(ctx)) as object),
          measuredAt: new Date().toISOString(),
        }
      } catch (err) {
        // One broken part must not lose the others' figures: record the failure and go on.
        ctx.log(`part ${part} failed: ${(err as Error).stack}`)
        results[part] = { error: (err as Error).message, measuredAt: new Date().toISOString() }
      }
      results.machine = machine({ quick, loadAverage: load })
      mkdirSync(join(ROOT, 'bench/results'), { recursive: true })
      writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n')
    }
  } finally {
    await ctx.close()
  }
  writeFileSync(join(ROOT, 'docs/benchmarks.md'), renderReport(results))
  ctx.log(`done in ${Math.round((Date.now() - started) / 1000)} s; docs/benchmarks.md rewritten`)
}

await main()
