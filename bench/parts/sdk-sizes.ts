import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ROOT } from '../lib/collector-deps.js'
import { SDK_DIST } from '../../test/support/chromium.js'

export interface BundleSize {
  name: string
  file: string
  bytes: number
  /** gzip -9 of the file as published. */
  gzip: number
  /** gzip -9 after minifying with esbuild (the same minifier for every SDK). */
  minGzip: number
}

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
    measure(
      'Lodestone chat add-on (lodestone.chat.iife.js)',
      join(SDK_DIST, 'lodestone.chat.iife.js'),
    ),
    ...OTHERS.map(([name, rel]) => measure(name, join(BENCH_MODULES, rel))),
  ]
}
