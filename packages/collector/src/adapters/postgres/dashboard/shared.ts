// What the dashboard's SQL readers share: the guard type, id checks, row mapping.
import type { ContactSummary } from '../../../ports.js'

export type Guard = <T>(fn: () => Promise<T>) => Promise<T>

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string))

/** A contacts row as the dashboard lists it. */
export const summary = (r: Record<string, unknown>): ContactSummary => ({
  id: r.id as string,
  traits: r.traits as Record<string, unknown>,
  firstSeen: iso(r.first_seen),
  lastSeen: iso(r.last_seen),
  score: {
    fit: r.score_fit,
    engagement: r.score_engagement,
    total: r.score_total,
    grade: r.grade,
  },
})
