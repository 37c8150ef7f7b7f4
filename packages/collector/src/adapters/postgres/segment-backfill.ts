import { OWN_SEGMENT_EVENT } from './own-events.js'
import type { Sql } from 'postgres'
import type { WebhookEvent } from '../../webhooks/types.js'
import { compileSegment } from '../../segments/compile.js'
import { lockContacts, type Tx } from './contact-rows.js'
import type { RulesCache } from './rules-cache.js'
import { applyAudiences } from './segments-eval.js'

type Enqueue = (tx: Tx, workspaceId: string, events: WebhookEvent[]) => Promise<void>

export const BACKFILL_BATCH = 500

export interface BackfillProgress {
  segmentId: string
  done: number
  total: number
  ready: boolean
}

/**
 * One batch of a segment's back-fill (after create or edit): the next contacts by id are
 * evaluated and their membership recorded without Entered/Exited events, in a short
 * transaction holding the segment row, so ingest keeps running and two processes never work
 * on one segment at once. `segmentId` null: any segment still building.
 */
export async function backfillBatch(
  sql: Sql,
  rules: RulesCache,
  enqueue: Enqueue,
  now: Date,
  segmentId: string | null,
): Promise<BackfillProgress | null> {
  return sql.begin(async (tx) => {
    const [seg] =
      await tx`select id, workspace_id, version, conditions, backfill_after, backfill_done,
        backfill_total from segments where status = 'building'
        ${segmentId ? tx`and id = ${segmentId}` : tx``}
      order by updated_at limit 1 for update skip locked`
    if (!seg) return null
    const ws = seg.workspace_id as string
    const ids = (
      await tx`select id from contacts where workspace_id = ${ws} and merged_into is null
        ${seg.backfill_after ? tx`and id > ${seg.backfill_after}` : tx``} order by id limit ${BACKFILL_BATCH}`
    ).map((r) => r.id as string)
    if (ids.length === 0) {
      await tx`update segments set status = 'ready', backfill_total = backfill_done where id = ${seg.id}`
      return { segmentId: seg.id, done: seg.backfill_done, total: seg.backfill_done, ready: true }
    }
    const rows = [...(await lockContacts(tx, ids)).values()]
    const { scorer } = await rules.current(tx, ws)
    const events = await windowEvents(tx, seg, ids, now)
    await applyAudiences(
      tx,
      ws,
      { rows, newEvents: [], merged: [], now, scorer, backfill: { segmentId: seg.id, events } },
      enqueue,
    )
    const due = rows.map((r) => ({ id: r.id, due_at: r.score.dueAt }))
    await tx`update contacts c set due_at = v.due_at
      from jsonb_to_recordset(${tx.json(due as never)}) as v(id uuid, due_at timestamptz) where c.id = v.id`
    const done = (seg.backfill_done as number) + ids.length
    await tx`update segments set backfill_after = ${ids[ids.length - 1]!}, backfill_done = ${done},
      backfill_total = greatest(backfill_total, ${done}) where id = ${seg.id}`
    return {
      segmentId: seg.id,
      done,
      total: Math.max(seg.backfill_total as number, done),
      ready: false,
    }
  })
}

/** The contacts' events inside the segment's longest count window (its own events left out). */
async function windowEvents(tx: Tx, seg: Record<string, unknown>, ids: string[], now: Date) {
  const out = new Map<string, { payload: unknown; timestamp: string }[]>()
  const specs = compileSegment(
    seg.id as string,
    seg.version as number,
    seg.conditions as never,
  ).windows
  if (specs.length === 0) return out
  const longest = Math.max(...specs.map((s) => s.windowMs))
  const since = new Date(now.getTime() - longest)
  const rows = await tx`select contact_id, timestamp, payload from events
    where contact_id = any(${ids}::uuid[]) and timestamp > ${since} and timestamp <= ${now}
      and not ${tx.unsafe(OWN_SEGMENT_EVENT)}`
  for (const r of rows) {
    const list = out.get(r.contact_id) ?? []
    list.push({ payload: r.payload, timestamp: (r.timestamp as Date).toISOString() })
    out.set(r.contact_id, list)
  }
  return out
}
