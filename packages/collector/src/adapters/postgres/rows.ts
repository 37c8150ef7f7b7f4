// What the PostgreSQL readers share: the guard type, id checks, timestamps and the contact row
// as every list shows it (its score as of the moment asked, docs/scoring.md "Scores as of now").
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
