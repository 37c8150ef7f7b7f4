#!/usr/bin/env node
// `pnpm bench [part …]`: runs the TypeScript suite in bench/ through tsx (no build step).
// Parts: ingest freshness sdk scale embedded horizontal profile (default: all, in that order).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'bench/run.ts', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
)
process.exit(run.status ?? 1)
