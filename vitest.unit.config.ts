import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'
import base from './vitest.config.js'

// `pnpm test:unit`: the fast loop. The same projects as vitest.config.ts, without the global
// setup (no PostgreSQL, no Redis) and without e2e; a test file joins when it uses no server,
// found by what it imports or calls, so there is no list to keep up to date.
const NEEDS_SERVER =
  /\binject\(|openTestStore|createTestApp|BACKENDS|useRedisThroughBridge|startUpstashBridge|startCollector|chromium|test-support\/(stores|app)|redis-bridge/

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    if (d.name === 'node_modules' || d.name === 'dist') return []
    const path = join(dir, d.name)
    if (d.isDirectory()) return testFiles(path)
    return d.name.endsWith('.test.ts') ? [path] : []
  })
}

const unit = (dir: string) =>
  testFiles(dir).filter((f) => !NEEDS_SERVER.test(readFileSync(f, 'utf8')))

const projects = (base.test?.projects ?? []) as TestProjectInlineConfiguration[]

export default defineConfig({
  test: {
    reporters: base.test?.reporters,
    projects: projects
      .filter((p) => p.test?.name !== 'e2e')
      .map((p) => {
        const root = String(p.test!.include![0]).split('/**')[0]!
        return { ...p, test: { ...p.test, include: unit(root) } }
      }),
  },
})
