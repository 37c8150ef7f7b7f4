// Makes sure the machine has what the test suite needs: Chromium (end-to-end tests),
// redis-server (hot-state tests) and nats-server (log mode, test/log-mode.test.ts). PostgreSQL 15 binaries are expected at
// /usr/lib/postgresql/15/bin (PG_BIN overrides). Installs through apt when run as root and a
// piece is missing; otherwise says what is missing, and the tests that need it will fail.
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const needs = [
  { pkg: 'chromium', path: '/usr/bin/chromium' },
  { pkg: 'redis-server', path: '/usr/bin/redis-server' },
  { pkg: 'nats-server', path: ['/usr/bin/nats-server', '/usr/sbin/nats-server'] },
]
const missing = needs.filter((n) => ![n.path].flat().some((p) => existsSync(p))).map((n) => n.pkg)
const pgBin = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'
if (!existsSync(`${pgBin}/initdb`)) missing.push('postgresql-15')

if (missing.length > 0) {
  const isRoot = process.getuid?.() === 0
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log(`[prepare-test-env] installing: ${missing.join(' ')}`)
    execSync('apt-get update -qq', { stdio: 'inherit' })
    execSync(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`, {
      stdio: 'inherit',
    })
  } else {
    console.warn(
      `[prepare-test-env] missing: ${missing.join(' ')} — install them (apt-get install -y ${missing.join(' ')}); tests that need them will fail`,
    )
  }
}
