// Prints the min+gzip (level 9) size of each script-tag build.
import { readFileSync, existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

for (const file of ['dist/lodestone.core.iife.js', 'dist/lodestone.iife.js']) {
  if (!existsSync(file)) {
    console.log(`${file}: missing (run pnpm build)`)
    continue
  }
  const min = readFileSync(file)
  const gz = gzipSync(min, { level: 9 }).length
  console.log(`${file}: ${min.length} B min, ${gz} B min+gzip (${(gz / 1024).toFixed(2)} KB)`)
}
