// Prints the min+gzip (level 9) size of each script-tag build against its budget.
// `--check` exits 1 when a build is missing or over budget (a deterministic byte count, so it
// can gate CI; speed is never checked this way).
import { readFileSync, existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const BUDGETS = {
  'dist/lodestone.core.iife.js': 5 * 1024, // API, delivery, page views, consent
  'dist/lodestone.iife.js': 9 * 1024, // core + capture plugins (the collector's /sdk.js)
  'dist/lodestone.chat.iife.js': 3 * 1024, // chat vendor adapters, beside the full build (/sdk-chat.js)
  'dist/lodestone.segments.iife.js': 600, // lodestone.segments(), beside the full build (/sdk-segments.js)
}
const check = process.argv.includes('--check')
let failed = false

for (const [file, budget] of Object.entries(BUDGETS)) {
  if (!existsSync(file)) {
    console.log(`${file}: missing (run pnpm build)`)
    failed = true
    continue
  }
  const min = readFileSync(file)
  const gz = gzipSync(min, { level: 9 }).length
  const verdict = gz <= budget ? 'within' : 'OVER'
  if (gz > budget) failed = true
  console.log(
    `${file}: ${min.length} B min, ${gz} B min+gzip (${(gz / 1024).toFixed(2)} KB); ` +
      `budget ${budget} B: ${verdict} by ${Math.abs(budget - gz)} B`,
  )
}
if (check && failed) process.exit(1)
