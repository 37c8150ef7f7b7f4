// What the dashboard's SQL readers share: the guard type, id checks, row mapping.
import type { ContactSummary } from '../../../ports.js'
import { iso } from '../rows.js'

export { iso, UUID, type Guard } from '../rows.js'

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
