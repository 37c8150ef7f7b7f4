#!/usr/bin/env node
// `pnpm bench [part …]`: runs the TypeScript suite in bench/ through tsx (no build step).
// Parts: profile ingest freshness sdk horizontal embedded rescore scale log segments list-export
// (default: all, in that order); --quick for a short smoke run; --report only rewrites
// docs/benchmarks.md; --contacts=N sets the store size of segments and list-export.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'bench/run.ts', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
)
process.exit(run.status ?? 1)
