// What the PostgreSQL readers share: the guard type, id checks, timestamps and the contact row
// as every list shows it (its score as of the moment asked, docs/scoring.md "Scores as of now").
import type { ExportedContact } from '@lodestone/lifecycle'
import type { Scorer } from '@lodestone/scoring'
import { mapStoreError } from './errors.js'
import { scoreOfRow } from './score-order.js'

export type Guard = <T>(fn: () => Promise<T>) => Promise<T>

/** Runs a store call, answering driver errors as the collector's own (adapters/postgres/errors.ts). */
export const guard: Guard = async (fn) => {
  try {
    return await fn()
  } catch (err) {
    throw mapStoreError(err)
  }
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string))

/** A contacts (or member) row as the lists show it, scored at `nowMs`. */
export const listedContact = (r: Record<string, unknown>, scorer: Scorer, nowMs: number) => ({
  id: r.id as string,
  traits: r.traits as Record<string, unknown>,
  firstSeen: iso(r.first_seen),
  lastSeen: iso(r.last_seen),
  score: scoreOfRow(r as never, scorer, nowMs),
})

/**
 * A page of an export: `rows` are up to `limit + 1` contact rows in id order (the extra one
 * only says there is more), scored at `nowMs`; `next` is the last id shown, or null at the end.
 */
export function exportedPage(
  rows: readonly Record<string, unknown>[],
  limit: number,
  scorer: Scorer,
  nowMs: number,
): { contacts: ExportedContact[]; next: string | null } {
  const page = rows.slice(0, limit)
  return {
    contacts: page.map((r): ExportedContact => {
      const s = scoreOfRow(r as never, scorer, nowMs)
      return {
        id: r.id as string,
        firstSeen: iso(r.first_seen),
        lastSeen: iso(r.last_seen),
        fit: s.fit,
        engagement: s.engagement,
        total: s.total,
        grade: s.grade,
        traits: (r.traits as Record<string, unknown>) ?? {},
      }
    }),
    next: rows.length > limit ? (page[page.length - 1]!.id as string) : null,
  }
}
