import { cpus, loadavg, totalmem, release, platform } from 'node:os'
import { execFileSync } from 'node:child_process'

/** What the figures were measured on (and how busy it was when the run started). */
export const loadAverage = () => Math.round(loadavg()[0]! * 100) / 100

export function machine(extra: { quick: boolean; loadAverage: number }) {
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
    ...extra,
  }
}
