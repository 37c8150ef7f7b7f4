import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The layering docs/architecture.md describes, checked on the source: no import cycle in any
// package, and the collector's core (everything but adapters/, entry/ and test support) sees
// ports only. Type-only imports count: a cycle of types is still a knot a reader must untie.

const PACKAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path))
    else if (/\.tsx?$/.test(name) && !/\.d\.ts$/.test(name)) out.push(path)
  }
  return out
}

/** Relative imports of each file, resolved to files (`./x.js` → `./x.ts` or `./x.tsx`). */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files)
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const deps: string[] = []
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!
      if (!spec.startsWith('.')) continue
      const base = resolve(dirname(file), spec).replace(/\.js$/, '')
      const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((f) => known.has(f))
      if (target) deps.push(target)
    }
    graph.set(file, deps)
  }
  return graph
}

/** One cycle per strongly connected component of more than one file (or a self-import). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const stack: string[] = []
  const on = new Set<string>()
  const idx = new Map<string, number>()
  const low = new Map<string, number>()
  const found: string[][] = []
  const visit = (v: string) => {
    idx.set(v, index)
    low.set(v, index++)
    stack.push(v)
    on.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = []
      let w: string
      do {
        w = stack.pop()!
        on.delete(w)
        scc.push(w)
      } while (w !== v)
      if (scc.length > 1 || graph.get(v)?.includes(v)) found.push(scc)
    }
  }
  for (const v of graph.keys()) if (!idx.has(v)) visit(v)
  return found
}

const files = readdirSync(PACKAGES).flatMap((p) => {
  const src = join(PACKAGES, p, 'src')
  try {
    return statSync(src).isDirectory() ? sourceFiles(src) : []
  } catch {
    return []
  }
})
const graph = importGraph(files)
const rel = (f: string) => relative(PACKAGES, f)

describe('architecture', () => {
  it('reads the workspace packages', () => {
    expect(files.some((f) => f.endsWith('collector/src/app.ts'))).toBe(true)
    expect(files.some((f) => f.endsWith('lifecycle/src/index.ts'))).toBe(true)
    expect(graph.get(join(PACKAGES, 'collector/src/app.ts'))!.length).toBeGreaterThan(3)
  })

  it('finds cycles when there are some', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ])
    expect(cycles(g).map((c) => c.sort())).toEqual([['a', 'b', 'c']])
  })

  it('has no import cycle in any package', () => {
    expect(cycles(graph).map((c) => c.map(rel).sort())).toEqual([])
  })

  it('keeps the collector core free of adapters and wiring', () => {
    const collector = join(PACKAGES, 'collector/src')
    const layer = (f: string) => relative(collector, f).split('/')[0]!
    const outside = (f: string) =>
      !f.startsWith(collector + '/') ||
      ['adapters', 'entry', 'test-support'].includes(layer(f)) ||
      /\.test\.tsx?$/.test(f)
    const wrong: string[] = []
    for (const [file, deps] of graph) {
      if (outside(file)) continue
      for (const dep of deps) {
        if (['adapters', 'entry'].includes(layer(dep))) wrong.push(`${rel(file)} → ${rel(dep)}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('keeps adapters and test support out of the wiring in entry/', () => {
    const collector = join(PACKAGES, 'collector/src')
    const wrong: string[] = []
    for (const [file, deps] of graph) {
      const from = relative(collector, file).split('/')[0]
      if (from !== 'adapters' && from !== 'test-support') continue
      for (const dep of deps)
        if (relative(collector, dep).startsWith('entry/')) wrong.push(`${rel(file)} → ${rel(dep)}`)
    }
    expect(wrong).toEqual([])
  })
})
