import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

// esbuild is tsx's own dependency (as in bench/parts/sdk-sizes.ts); no extra dev dependency.
// Typed here by the one call used: esbuild is not a direct dependency of this package.
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'))(
  'esbuild',
) as {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>
}

const ENTRY = fileURLToPath(
  new URL('../../packages/collector/src/entry/workers.ts', import.meta.url),
)

/**
 * Bundles the Workers entry the way a Workers deploy would: the `workerd` condition picks
 * postgres.js's `cloudflare:sockets` build; `node:*` stays external for `nodejs_compat`.
 */
export async function bundleWorker(): Promise<string> {
  const out = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:sockets', 'node:*'],
    logLevel: 'silent',
  })
  return out.outputFiles[0]!.text
}
