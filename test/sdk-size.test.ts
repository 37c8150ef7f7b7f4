// The script-tag builds stay within their min+gzip budgets (packages/sdk/scripts/size.mjs:
// core 5 KB, full 9 KB, chat add-on 3 KB, segments add-on 600 B; docs/sdk.md, Size). The
// builds are made first when older than the SDK's source.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureSdkBuilt, SDK_DIST } from './support/chromium.js'

let report = ''
beforeAll(() => {
  ensureSdkBuilt()
  report = execFileSync(process.execPath, ['scripts/size.mjs'], {
    cwd: join(SDK_DIST, '..'),
    encoding: 'utf8',
  })
}, 300_000) // a stale build is rebuilt first

describe('SDK size budgets', () => {
  it.each([
    'dist/lodestone.core.iife.js',
    'dist/lodestone.iife.js',
    'dist/lodestone.chat.iife.js',
    'dist/lodestone.segments.iife.js',
  ])('%s is within its budget', (file) => {
    const line = report.split('\n').find((l) => l.startsWith(`${file}:`))
    expect(line, report).toBeDefined()
    const [, gz, budget] = /(\d+) B min\+gzip .*budget (\d+) B/.exec(line!)!
    expect(Number(gz), line).toBeLessThanOrEqual(Number(budget))
    expect(line).toContain('within')
  })
})
