import type { Sql } from 'postgres'
import type { LifecycleItem, TimelinePoint } from '../../../dashboard/port.js'
import type { RulesCache } from '../rules-cache.js'
import { iso, UUID, type Guard } from './shared.js'

/** Events replayed for one chart: enough for any real person, bounded for a runaway bot. */
const MAX_EVENTS = 20_000
/** Points drawn at most (the last of each run is kept). */
const MAX_POINTS = 400

export const LIFECYCLE = [
  'Deal Created',
  'Deal Won',
  'Deal Lost',
  'Order Completed',
  'Ticket Created',
  'Ticket Resolved',
  'Survey Responded',
]

/** The score after each event at the event's time (see DashboardStore.scoreTimeline). */
export async function scoreTimeline(
  sql: Sql,
  guard: Guard,
  rules: RulesCache,
  workspaceId: string,
  contactId: string,
  now: Date,
): Promise<TimelinePoint[]> {
  if (!UUID.test(contactId)) return []
  return guard(async () => {
    const { scorer } = await rules.current(sql, workspaceId)
    const [[contact], events] = await Promise.all([
      sql`select traits from contacts where id = ${contactId} and workspace_id = ${workspaceId}`,
      sql`select type, event, name, timestamp, message_id, payload -> 'properties' as properties,
          payload #> '{context,page}' as page from (select * from events
          where contact_id = ${contactId} and workspace_id = ${workspaceId}
          order by timestamp desc, seq desc limit ${MAX_EVENTS}) e order by timestamp, seq`,
    ])
    const traits = (contact?.traits ?? {}) as Record<string, unknown>
    let state = null
    const points: TimelinePoint[] = []
    for (const r of events) {
      const at = iso(r.timestamp)
      state = scorer.applyEvent(state, {
        type: r.type,
        event: r.event,
        name: r.name,
        properties: r.properties,
        context: r.page ? { page: r.page } : null,
        timestamp: at,
        messageId: r.message_id,
      }).state
      const s = scorer.score(state, traits, at)
      const prev = points[points.length - 1]
      if (prev && prev.total === s.total && prev.grade === s.grade) continue
      points.push({ at, total: s.total, grade: s.grade ?? '' })
    }
    const s = scorer.score(state, traits, now)
    points.push({ at: now.toISOString(), total: s.total, grade: s.grade ?? '' })
    const step = Math.ceil(points.length / MAX_POINTS)
    return step <= 1 ? points : points.filter((_, i) => i % step === 0 || i === points.length - 1)
  })
}

/** Deals, orders, tickets and surveys, newest first (the lifecycle events index). */
export async function lifecycleEvents(
  sql: Sql,
  guard: Guard,
  workspaceId: string,
  contactId: string,
): Promise<LifecycleItem[]> {
  if (!UUID.test(contactId)) return []
  const rows = await guard(
    () => sql`select event, timestamp, payload -> 'properties' as properties from events
      where contact_id = ${contactId} and workspace_id = ${workspaceId}
        and event = any(${LIFECYCLE}) order by timestamp desc limit 100`,
  )
  return rows.map((r) => ({
    event: r.event as string,
    at: iso(r.timestamp),
    properties: (r.properties ?? {}) as Record<string, unknown>,
  }))
}
