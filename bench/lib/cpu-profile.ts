import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface CostLine {
  name: string
  percent: number
}

export interface ProfileSummary {
  /** Share of busy (non-idle) samples spent in each function itself. */
  functions: CostLine[]
  /** The same, summed by where the code lives (a package, the collector, Node internals, GC). */
  areas: CostLine[]
  /** Share of all samples the process was idle (waiting on PostgreSQL or the network). */
  idlePercent: number
}

function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'garbage collection'
  if (name === '(program)') return 'V8 / native (program)'
  if (!url) return 'native / builtins'
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  const ws = /packages\/([^/]+)\/src\/(?:([^/]+)\/)?/.exec(url)
  if (ws) return `@lodestone/${ws[1]}${ws[2] && !ws[2].includes('.') ? `/${ws[2]}` : ''}`
  if (url.startsWith('node:')) return 'node internals'
  return 'other'
}

const short = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, '')
    .replace(/.*\/packages\//, 'packages/')

/** Self time by function and by area from a V8 .cpuprofile (what `node --cpu-prof` writes). */
export function summariseProfile(file: string, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)))
  let idle = 0
  let total = 0
  const fns = new Map<string, number>()
  const areas = new Map<string, number>()
  for (const [id, t] of self) {
    const n = byId.get(id)!
    total += t
    const { functionName, url, lineNumber } = n.callFrame
    if (functionName === '(idle)') {
      idle += t
      continue
    }
    const key = `${functionName || '(anonymous)'} ${url ? `${short(url)}:${lineNumber + 1}` : ''}`
    fns.set(key.trim(), (fns.get(key.trim()) ?? 0) + t)
    const a = area(url, functionName)
    areas.set(a, (areas.get(a) ?? 0) + t)
  }
  const busy = total - idle
  const lines = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, t]) => ({ name, percent: Math.round((t / busy) * 1000) / 10 }))
  return {
    functions: lines(fns),
    areas: lines(areas),
    idlePercent: Math.round((idle / total) * 1000) / 10,
  }
}
