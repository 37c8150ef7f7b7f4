import type { Sql } from 'postgres'
import { createScorer, ScoringError, type Scorer, type ScoringEvent } from '@lodestone/scoring'
import { CollectorError } from '../../../errors.js'
import type { RulesPreview } from '../../../dashboard/port.js'
import { loadScoringEvents } from '../scoring.js'
import type { Guard } from './shared.js'

/**
 * Contacts a preview replays at most; past that, the first PREVIEW_SAMPLE in id order (and it
 * says so). Contact ids are random (v4 UUIDs, ingest.ts), so those are an even sample that the
 * primary key hands over without reading the rest of the workspace.
 */
export const PREVIEW_SAMPLE = 20_000
const BATCH = 1000
const MOVERS = 10

function scorerFor(doc: unknown): Scorer {
  try {
    return createScorer(doc)
  } catch (err) {
    if (err instanceof ScoringError)
      throw new CollectorError('invalid_rules', err.message, { issues: err.issues })
    throw err
  }
}

const label = (t: Record<string, unknown>) =>
  [t.name, [t.firstName, t.lastName].filter(Boolean).join(' '), t.email].find(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  ) ?? null

/**
 * What saving `doc` would do, computed without writing: every contact (or an even sample past
 * PREVIEW_SAMPLE) replayed under the new rules at `now`, compared with its stored grade.
 */
export async function previewRules(
  sql: Sql,
  guard: Guard,
  workspaceId: string,
  doc: unknown,
  now: Date,
): Promise<RulesPreview> {
  const scorer = scorerFor(doc)
  return guard(async () => {
    type Batch = { rows: Record<string, unknown>[]; events: Map<string, ScoringEvent[]> }
    const load = async (after: string | null, limit: number): Promise<Batch> => {
      if (limit <= 0) return { rows: [], events: new Map() }
      const rows = await sql`select id, traits, grade, score_total from contacts
        where workspace_id = ${workspaceId} and merged_into is null
        ${after ? sql`and id > ${after}` : sql``} order by id limit ${limit}`
      return {
        rows,
        events: await loadScoringEvents(
          sql,
          rows.map((r) => r.id as string),
        ),
      }
    }
    const counted = sql`select count(*)::int as n from contacts
      where workspace_id = ${workspaceId} and merged_into is null`
    let next = load(null, Math.min(BATCH, PREVIEW_SAMPLE))
    const [[{ n: total }]] = (await Promise.all([counted, next])) as unknown as [[{ n: number }]]
    const before = new Map<string, number>()
    const after = new Map<string, number>()
    const movers: RulesPreview['movers'] = []
    let examined = 0
    let changed = 0
    for (;;) {
      const { rows, events } = await next
      if (rows.length === 0) break
      examined += rows.length
      // The next batch is read while this one is replayed.
      next = load(rows[rows.length - 1]!.id as string, Math.min(BATCH, PREVIEW_SAMPLE - examined))
      next.catch(() => {}) // awaited on the next turn; a failure surfaces there
      for (const r of rows) {
        const traits = (r.traits ?? {}) as Record<string, unknown>
        const s = scorer.score(scorer.replay(events.get(r.id as string) ?? []), traits, now)
        const was = (r.grade as string | null) ?? ''
        const now_ = s.grade ?? ''
        before.set(was, (before.get(was) ?? 0) + 1)
        after.set(now_, (after.get(now_) ?? 0) + 1)
        if (was !== now_) changed++
        movers.push({
          id: r.id as string,
          label: label(traits),
          beforeTotal: r.score_total as number,
          afterTotal: s.total,
          beforeGrade: was,
          afterGrade: now_,
        })
        movers.sort(
          (a, b) => Math.abs(b.afterTotal - b.beforeTotal) - Math.abs(a.afterTotal - a.beforeTotal),
        )
        movers.length = Math.min(movers.length, MOVERS)
      }
    }
    const grades = scorer.grades
    const dist = (m: Map<string, number>) =>
      [...new Set([...grades, ...m.keys()])].map((grade) => ({ grade, count: m.get(grade) ?? 0 }))
    return {
      total,
      examined,
      sampled: examined < total,
      changed,
      before: dist(before),
      after: dist(after),
      movers: movers.filter((m) => m.afterTotal !== m.beforeTotal),
    }
  })
}
