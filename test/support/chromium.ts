// Real Chromium for end-to-end tests and the SDK benchmark: Debian's /usr/bin/chromium driven by
// playwright-core (never a downloaded browser), and the SDK's script-tag bundles it loads.
import { execSync } from 'node:child_process'
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

/** Builds the SDK when a script-tag bundle is missing or older than its source (one rule: scripts/ensure-sdk.mjs). */
export function ensureSdkBuilt(): void {
  execSync(`"${process.execPath}" ${join(SDK_DIR, '../../scripts/ensure-sdk.mjs')}`, {
    stdio: 'inherit',
  })
}
