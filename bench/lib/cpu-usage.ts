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

/** One PostgreSQL server process: its database (backends only) and nanoseconds on CPU. */
export interface ServerProcess {
  /** The database a backend or autovacuum worker serves, from its process title; '' if none. */
  database: string
  ns: number
}

/**
 * The postmaster's child processes with their exact CPU time (`/proc/<pid>/schedstat`, in
 * nanoseconds, not rounded to clock ticks as `/proc/<pid>/stat` is) and the database named in
 * their title (`postgres: user database host(port) state`, `postgres: autovacuum worker
 * database`). Linux only; empty elsewhere.
 */
export function serverProcesses(postmaster: number): Map<number, ServerProcess> {
  const out = new Map<number, ServerProcess>()
  let children: string[]
  try {
    children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
  } catch {
    return out
  }
  for (const pid of children) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0])
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0.*$/s, '').trim()
      const words = title.split(/\s+/)
      const database = words[1] === 'autovacuum' && words[2] === 'worker' ? (words[3] ?? '') : ''
      const backend = /\(\d+\)|\[local\]/.test(title) ? (words[2] ?? '') : ''
      out.set(Number(pid), { database: database || backend, ns })
    } catch {
      // the process exited between the listing and the read
    }
  }
  return out
}

/** CPU nanoseconds per database (and '' for the rest) between two readings. */
export function serverCpuDelta(
  before: Map<number, ServerProcess>,
  after: Map<number, ServerProcess>,
): Map<string, number> {
  const out = new Map<string, number>()
  for (const [pid, p] of after) {
    const was = before.get(pid)
    const used = p.ns - (was && was.database === p.database ? was.ns : 0)
    out.set(p.database, (out.get(p.database) ?? 0) + used)
  }
  return out
}

/**
 * Nanoseconds on CPU of this process's main thread (`/proc/self/task/<pid>/schedstat`):
 * without V8's background threads (concurrent garbage collection and compilation), whose
 * work lands in whichever moment it runs. Linux only; 0 elsewhere.
 */
export function mainThreadNs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0])
  } catch {
    return 0
  }
}

/**
 * Nanoseconds on CPU of every thread of a process (`/proc/<pid>/task/<tid>/schedstat`): exact,
 * where `/proc/<pid>/stat` rounds to clock ticks. Threads that exited are not counted. Linux
 * only; 0 elsewhere.
 */
export function processNs(pid: number): number {
  let tasks: string[]
  try {
    tasks = readdirSync(`/proc/${pid}/task`)
  } catch {
    return 0
  }
  let total = 0
  for (const t of tasks) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0])
    } catch {
      // the thread exited between the listing and the read
    }
  }
  return total
}
