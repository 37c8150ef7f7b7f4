import { compileSegment, type CompiledSegment } from '../../segments/compile.js'
import type { Condition } from '../../segments/conditions.js'
import { referencedSegments } from '../../segments/conditions.js'
import type { Tx } from './contact-rows.js'

export interface SegmentDef {
  id: string
  key: string
  name: string
  version: number
  ready: boolean
  browser: boolean
  compiled: CompiledSegment
}

// Compiled once per (segment, version) per process, with the segments it refers to. Each call
// reads the definitions' identity in the caller's transaction (so every process evaluates what
// is current in the database) and the conditions only for a version this process has not seen.
const compiled = new Map<string, { c: CompiledSegment; refs: Set<string> }>()

/** A segment's identity as stored (`segments` row without its conditions). */
export interface DefRow {
  id: string
  key: string
  name: string
  version: number
  status: string
  browser: boolean
}

/**
 * The workspace's segments, ordered so that a segment comes after those it refers to. `rows`:
 * their identity already read by the caller (in creation order), e.g. in one statement with
 * the contacts' audience state (segments-eval.ts).
 */
export async function loadSegments(
  tx: Tx,
  workspaceId: string,
  rows?: readonly DefRow[],
): Promise<SegmentDef[]> {
  const cacheKey = (r: { id: string; version: number }) => `${r.id}.${r.version}`
  rows ??= (await tx`select id, key, name, version, status, browser from segments
    where workspace_id = ${workspaceId} order by created_at, id`) as unknown as DefRow[]
  if (rows.some((r) => !compiled.has(cacheKey(r)))) {
    // one statement, so identity and conditions are of the same version
    const fresh = await tx`select id, key, name, version, status, browser, conditions from segments
      where workspace_id = ${workspaceId} order by created_at, id`
    for (const r of fresh) {
      if (compiled.has(cacheKey(r as never))) continue
      const conditions = r.conditions as Condition
      compiled.set(cacheKey(r as never), {
        c: compileSegment(r.id, r.version, conditions),
        refs: referencedSegments(conditions),
      })
    }
    rows = fresh as unknown as DefRow[]
  }
  const defs = rows.map((r) => {
    const entry = compiled.get(cacheKey(r))!
    return {
      id: r.id,
      key: r.key,
      name: r.name,
      version: r.version,
      ready: r.status === 'ready',
      browser: r.browser,
      compiled: entry.c,
      refs: entry.refs,
    }
  })
  return topological(defs)
}

function topological<T extends { id: string; refs: Set<string> }>(defs: T[]): T[] {
  const byId = new Map(defs.map((d) => [d.id, d]))
  const out: T[] = []
  const seen = new Set<string>()
  const visit = (d: T) => {
    if (seen.has(d.id)) return
    seen.add(d.id)
    for (const r of d.refs) {
      const dep = byId.get(r)
      if (dep) visit(dep)
    }
    out.push(d)
  }
  for (const d of defs) visit(d)
  return out
}

/** True when `id` referring to `refs` would close a cycle through saved segments. */
export async function wouldCycle(
  tx: Tx,
  workspaceId: string,
  id: string,
  refs: Set<string>,
): Promise<boolean> {
  const rows = await tx`select id, conditions from segments where workspace_id = ${workspaceId}`
  const graph = new Map(rows.map((r) => [r.id as string, referencedSegments(r.conditions)]))
  graph.set(id, refs)
  const stack = [...refs]
  const seen = new Set<string>()
  while (stack.length > 0) {
    const cur = stack.pop()!
    if (cur === id) return true
    if (seen.has(cur)) continue
    seen.add(cur)
    for (const next of graph.get(cur) ?? []) stack.push(next)
  }
  return false
}
