import type { Sql } from 'postgres'
import type { ScorePoint } from '../../../ports.js'
import type { RulesCache } from '../rules-cache.js'
import { iso, UUID, type Guard } from './shared.js'

/** The grades of the current rules, lowest first, with the total each starts at. */
export async function scoreGrades(
  sql: Sql,
  guard: Guard,
  rules: RulesCache,
  workspaceId: string,
): Promise<{ name: string; min: number | null }[]> {
  const { scorer } = await guard(() => rules.current(sql, workspaceId))
  return scorer.ruleSet.grades.map((g) => ({ name: g.name, min: g.min ?? null }))
}

/** The contact's score after each change, oldest first (the most recent `limit`). */
export async function scoreHistory(
  sql: Sql,
  guard: Guard,
  workspaceId: string,
  contactId: string,
  limit = 500,
): Promise<ScorePoint[]> {
  if (!UUID.test(contactId)) return []
  const rows = await guard(
    () => sql`select at, fit, engagement, total, grade from (
      select * from score_history where contact_id = ${contactId}
        and workspace_id = ${workspaceId} order by at desc limit ${limit}) h
      order by at`,
  )
  return rows.map((r) => ({
    at: iso(r.at),
    fit: r.fit,
    engagement: r.engagement,
    total: r.total,
    grade: r.grade,
  }))
}

export type ContactLabels = Record<
  string,
  { label: string | null; grade: string | null; total: number }
>

/** A short label (name, email or nothing) and grade per contact id, for the live feed. */
export async function contactLabels(
  sql: Sql,
  guard: Guard,
  workspaceId: string,
  ids: string[],
): Promise<ContactLabels> {
  const valid = ids.filter((id) => UUID.test(id))
  if (valid.length === 0) return {}
  const rows = await guard(
    () => sql`select id, grade, score_total,
        coalesce(nullif(traits ->> 'name', ''), nullif(concat_ws(' ', traits ->> 'firstName',
          traits ->> 'lastName'), ''), traits ->> 'email') as label
      from contacts where workspace_id = ${workspaceId} and id = any(${valid}::uuid[])`,
  )
  return Object.fromEntries(
    rows.map((r) => [
      r.id as string,
      { label: (r.label as string | null) ?? null, grade: r.grade, total: r.score_total },
    ]),
  )
}
