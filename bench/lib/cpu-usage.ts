import { readdirSync, readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100

function stat(pid: string): { ppid: number; seconds: number } | null {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // Fields after the command name, which is in parentheses and may contain spaces.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { ppid: Number(f[1]), seconds: (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND }
}

/**
 * CPU seconds (user + system) used so far by a process and, with `children`, by the processes
 * it started (PostgreSQL's backends are children of the postmaster). Linux only; 0 elsewhere.
 * Backends that exited are not counted, so take readings while the pool is connected.
 */
export function cpuSeconds(pid: number, children = false): number {
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p))
  } catch {
    return 0
  }
  let total = 0
  for (const p of pids) {
    const s = stat(p)
    if (s && (Number(p) === pid || (children && s.ppid === pid))) total += s.seconds
  }
  return total
}
