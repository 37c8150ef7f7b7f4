import { cpus, totalmem, release, platform } from 'node:os'
import { execFileSync } from 'node:child_process'

/** What the figures were measured on. */
export function machine() {
  const cores = cpus()
  let postgres = 'unknown'
  try {
    postgres = execFileSync('/usr/lib/postgresql/15/bin/postgres', ['--version']).toString().trim()
  } catch {
    // reported as unknown
  }
  return {
    cores: cores.length,
    cpu: cores[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    postgres,
    date: new Date().toISOString().slice(0, 10),
  }
}
