import type { Sql } from 'postgres'
import { createScorer, ScoringError, type Scorer } from '@lodestone/scoring'
import { CollectorError } from '../../../errors.js'
import type { RulesPreview } from '../../../dashboard/port.js'
import { loadScoringEvents } from '../scoring.js'
import type { Guard } from './shared.js'

/** Contacts a preview replays at most; past that, an even sample by id hash (and it says so). */
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
    const [{ n: total }] = (await sql`select count(*)::int as n from contacts
      where workspace_id = ${workspaceId} and merged_into is null`) as unknown as [{ n: number }]
    const every = Math.max(1, Math.ceil(total / PREVIEW_SAMPLE))
    const sample = every > 1 ? sql`and abs(hashtext(id::text)) % ${every} = 0` : sql``
    const before = new Map<string, number>()
    const after = new Map<string, number>()
    const movers: RulesPreview['movers'] = []
    let examined = 0
    let changed = 0
    let last: string | null = null
    for (;;) {
      const rows = await sql`select id, traits, grade, score_total from contacts
        where workspace_id = ${workspaceId} and merged_into is null ${sample}
        ${last ? sql`and id > ${last}` : sql``} order by id limit ${BATCH}`
      if (rows.length === 0) break
      last = rows[rows.length - 1]!.id as string
      const events = await loadScoringEvents(
        sql,
        rows.map((r) => r.id as string),
      )
      for (const r of rows) {
        const s = scorer.score(scorer.replay(events.get(r.id) ?? []), r.traits, now)
        const was = (r.grade as string | null) ?? ''
        const now_ = s.grade ?? ''
        before.set(was, (before.get(was) ?? 0) + 1)
        after.set(now_, (after.get(now_) ?? 0) + 1)
        if (was !== now_) changed++
        movers.push({
          id: r.id,
          label: label(r.traits ?? {}),
          beforeTotal: r.score_total,
          afterTotal: s.total,
          beforeGrade: was,
          afterGrade: now_,
        })
        movers.sort(
          (a, b) => Math.abs(b.afterTotal - b.beforeTotal) - Math.abs(a.afterTotal - a.beforeTotal),
        )
        movers.length = Math.min(movers.length, MOVERS)
      }
      examined += rows.length
    }
    const grades = scorer.grades
    const dist = (m: Map<string, number>) =>
      [...new Set([...grades, ...m.keys()])].map((grade) => ({ grade, count: m.get(grade) ?? 0 }))
    return {
      total,
      examined,
      sampled: every > 1,
      changed,
      before: dist(before),
      after: dist(after),
      movers: movers.filter((m) => m.afterTotal !== m.beforeTotal),
    }
  })
}
