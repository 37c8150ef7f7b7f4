// Builds the SDK's script-tag bundles when one is missing or older than the SDK's source, so
// `pnpm start` on a fresh clone serves /sdk.js (and the tests load the current code).
import { execSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SDK_DIR = fileURLToPath(new URL('../packages/sdk/', import.meta.url))
const BUNDLES = [
  'lodestone.iife.js',
  'lodestone.core.iife.js',
  'lodestone.chat.iife.js',
  'lodestone.segments.iife.js',
  'esm/index.js',
].map((f) => join(SDK_DIR, 'dist', f))

/** The newest modification time under a folder. */
function newest(dir) {
  let t = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

const source = newest(join(SDK_DIR, 'src'))
if (BUNDLES.some((b) => !existsSync(b) || statSync(b).mtimeMs < source)) {
  // Inside a pnpm script npm_execpath is pnpm itself; elsewhere pnpm comes through npx.
  const execPath = process.env.npm_execpath
  const pnpm =
    execPath && /pnpm/.test(execPath) ? `"${process.execPath}" "${execPath}"` : 'npx -y pnpm@10'
  console.log(
    '[ensure-sdk] building the SDK (packages/sdk/dist is missing or older than its source)',
  )
  execSync(`${pnpm} --filter @lodestone/sdk build`, {
    stdio: 'inherit',
    cwd: join(SDK_DIR, '../..'),
  })
}
