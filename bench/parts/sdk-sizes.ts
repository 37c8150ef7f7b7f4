import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ROOT } from '../lib/collector-deps.js'

export interface BundleSize {
  name: string
  file: string
  bytes: number
  /** gzip -9 of the file as published. */
  gzip: number
  /** gzip -9 after minifying with esbuild (the same minifier for every SDK). */
  minGzip: number
}

const SDK_DIST = join(ROOT, 'packages/sdk/dist')
const BENCH_MODULES = join(ROOT, 'bench/node_modules')

// Each vendor's script-tag / standalone browser build as shipped in its npm package.
const OTHERS: [string, string][] = [
  ['posthog-js (array.js, script tag)', 'posthog-js/dist/array.js'],
  ['posthog-js (array.full.js, all extensions)', 'posthog-js/dist/array.full.js'],
  ['@segment/analytics-next (standalone UMD)', '@segment/analytics-next/dist/umd/index.js'],
  ['@rudderstack/analytics-js (UMD)', '@rudderstack/analytics-js/dist/npm/modern/umd/index.js'],
  ['@jitsu/js (p.js, script tag)', '@jitsu/js/dist/web/p.js.txt'],
]

// esbuild is tsx's own dependency; borrowing it avoids one more dev dependency.
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'))(
  'esbuild',
) as typeof import('esbuild')

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return newest
}

/** Builds the SDK when its script-tag builds are missing or older than its sources. */
export function ensureSdkBuilt(log: (m: string) => void) {
  const files = ['lodestone.core.iife.js', 'lodestone.iife.js'].map((f) => join(SDK_DIST, f))
  const src = newestMtime(join(ROOT, 'packages/sdk/src'))
  if (files.every((f) => existsSync(f) && statSync(f).mtimeMs >= src)) return
  log('sdk: building packages/sdk (dist missing or stale)')
  execFileSync('pnpm', ['--filter', '@lodestone/sdk', 'build'], { cwd: ROOT, stdio: 'inherit' })
}

function measure(name: string, file: string): BundleSize {
  const code = readFileSync(file)
  const min = esbuild.transformSync(code.toString('utf8'), { minify: true, loader: 'js' }).code
  return {
    name,
    file: file.replace(ROOT, ''),
    bytes: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    minGzip: Math.min(gzipSync(min, { level: 9 }).length, gzipSync(code, { level: 9 }).length),
  }
}

/** min+gzip of Lodestone's script-tag builds and of the other SDKs' browser bundles. */
export function measureSizes(): BundleSize[] {
  return [
    measure('Lodestone core (lodestone.core.iife.js)', join(SDK_DIST, 'lodestone.core.iife.js')),
    measure('Lodestone full (lodestone.iife.js)', join(SDK_DIST, 'lodestone.iife.js')),
    ...OTHERS.map(([name, rel]) => measure(name, join(BENCH_MODULES, rel))),
  ]
}
