// Real Chromium for end-to-end tests and the SDK benchmark: Debian's /usr/bin/chromium driven by
// playwright-core (never a downloaded browser), and the SDK's script-tag bundles it loads.
import { execSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

const SDK_DIR = fileURLToPath(new URL('../../packages/sdk/', import.meta.url))
/** Where the SDK's builds are; `lodestone.iife.js` (full) and `lodestone.core.iife.js`. */
export const SDK_DIST = join(SDK_DIR, 'dist')
const BUNDLES = ['lodestone.iife.js', 'lodestone.core.iife.js', 'lodestone.chat.iife.js'].map((f) =>
  join(SDK_DIST, f),
)

/** The newest modification time under a folder. */
function newest(dir: string): number {
  let t = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

/** Builds the SDK when a script-tag bundle is missing or older than the SDK's source. */
export function ensureSdkBuilt(): void {
  const source = newest(join(SDK_DIR, 'src'))
  if (BUNDLES.some((b) => !existsSync(b) || statSync(b).mtimeMs < source))
    execSync('pnpm --filter @lodestone/sdk build', { stdio: 'inherit' })
}
