import { scoreFromKey, toView, type Scorer, type ScoringEvent } from '@lodestone/scoring'
import type { Facts } from '../../segments/compile.js'
import { remember } from '../../segments/compile.js'
import type { SegmentTransition } from '../../segments/live.js'
import type { WebhookEvent } from '../../webhooks/types.js'
import type { ContactRow, Tx } from './contact-rows.js'
import { halfLifeOf } from './score-order.js'
import type { SegmentDef } from './segment-defs.js'
import { forgetReads, segmentsAndState } from './segments-state.js'
import { applyGroupCalls, refreshAccountScores, type AccountFact } from './accounts-ingest.js'

/** What changed in a transaction, for the segments and accounts to follow. */
export interface AudienceBatch {
  /** The changed contacts, row-locked, their scores already brought up to `now`. */
  rows: ContactRow[]
  newEvents: {
    contactId: string
    type: string
    payload: unknown
    timestamp: string
    messageId: string
  }[]
  merged: { from: string; into: string }[]
  now: Date
  scorer: Scorer
  /** Back-fill of one segment: membership recorded without Entered/Exited events. */
  backfill?: { segmentId: string; events: Map<string, { payload: unknown; timestamp: string }[]> }
}

type Enqueue = (tx: Tx, workspaceId: string, events: WebhookEvent[]) => Promise<void>

/** Whether the workspace has any segment, any account (read with the batch's snapshot). */
export interface AudiencesPresent {
  segments: boolean
  accounts: boolean
}
type Membership = { member: boolean; seq: number; own: boolean }

const byContact = <T extends { contact_id: string }>(rows: readonly T[]) => {
  const out = new Map<string, T[]>()
  for (const r of rows) {
    const list = out.get(r.contact_id)
    if (list) list.push(r)
    else out.set(r.contact_id, [r])
  }
  return out
}

/**
 * Brings accounts and segment memberships of the batch's contacts up to date inside the
 * caller's transaction (ingest, the time sweep, a back-fill), so membership commits with the
 * change that caused it. Each transition is decided against the stored membership under the
 * contacts' row locks and named by its sequence number, so it fires exactly once however many
 * processes run; a merged-away contact's memberships fold into the survivor's first.
 */
export async function applyAudiences(
  tx: Tx,
  workspaceId: string,
  batch: AudienceBatch,
  enqueue: Enqueue,
  /** Read earlier in the transaction (ingest.ts): a step for what is absent reads nothing. */
  present?: AudiencesPresent,
): Promise<SegmentTransition[]> {
  const ids = batch.rows.map((r) => r.id)
  if (ids.length === 0) return []
  const gone = batch.merged.map((m) => m.from)
  await foldMerged(tx, batch.merged)
  // Without an account in the workspace and a `group` call in the batch, group calls make
  // nothing, no domain matches and no account has a member to rescore.
  const accountsNeeded =
    !present || present.accounts || batch.newEvents.some((e) => e.type === 'group')
  if (!accountsNeeded && !present!.segments) {
    forgetReads(workspaceId)
    return []
  }
  if (accountsNeeded) await applyGroupCalls(tx, workspaceId, batch)
  const all = [...ids, ...gone]
  const [{ segments, state }, accounts] = await Promise.all([
    !present || present.segments
      ? segmentsAndState(tx, workspaceId, all)
      : { segments: [], state: [] },
    accountsNeeded
      ? refreshAccountScores(
          tx,
          workspaceId,
          ids,
          batch.scorer,
          batch.now,
          new Map(batch.rows.map((r) => [r.id, r.score.key])),
        )
      : [],
  ])
  const members: { segment_id: string; contact_id: string; member: boolean; seq: number }[] = []
  const windows: { contact_id: string; windows: Record<string, number[]> }[] = []
  const subs: { contact_id: string; topic: string }[] = []
  const lists: { contact_id: string; list_id: string }[] = []
  for (const r of state) {
    if (r.k === 'm') members.push({ segment_id: r.a, contact_id: r.c, member: r.f, seq: r.n })
    else if (r.k === 'w') windows.push({ contact_id: r.c, windows: r.j })
    else if (r.k === 's') subs.push({ contact_id: r.c, topic: r.a })
    else lists.push({ contact_id: r.c, list_id: r.a })
  }
  if (segments.length === 0) return []
  const into = new Map(batch.merged.map((m) => [m.from, m.into]))
  const owner = (id: string) => {
    let cur = id
    while (into.has(cur)) cur = into.get(cur)!
    return cur
  }
  // Stored state per surviving contact: memberships OR-ed and windows joined over merges;
  // `own` marks the memberships with a row of the contact's own (not only a merged one's).
  const stored = new Map<string, Map<string, Membership>>()
  for (const m of members) {
    const id = owner(m.contact_id)
    let map = stored.get(id)
    if (!map) stored.set(id, (map = new Map()))
    const prev = map.get(m.segment_id)
    const own = (prev?.own ?? false) || m.contact_id === id
    map.set(
      m.segment_id,
      prev
        ? { member: prev.member || m.member, seq: Math.max(prev.seq, m.seq), own }
        : { member: m.member, seq: m.seq, own },
    )
  }
  const memory = new Map<string, Record<string, number[]>>()
  // each contact's own stored windows: what a write is needed against (a merged one's rows go)
  const saved = new Map<string, Record<string, number[]>>()
  for (const w of windows) {
    const id = owner(w.contact_id)
    if (id === w.contact_id) saved.set(id, { ...(w.windows as Record<string, number[]>) })
    const cur = memory.get(id)
    if (!cur) {
      memory.set(id, w.windows as Record<string, number[]>)
      continue
    }
    for (const [k, times] of Object.entries(w.windows as Record<string, number[]>))
      cur[k] = [...(cur[k] ?? []), ...times].sort((a, b) => a - b)
  }
  const ctx = {
    subs: setsBy(subs, 'topic'),
    lists: setsBy(lists, 'list_id'),
    accounts: byContact(accounts),
  }
  const out = evaluate(segments, batch, stored, memory, saved, ctx)
  await writeOutcome(tx, workspaceId, batch, out, gone, enqueue)
  return out.transitions
}

const NONE: ReadonlySet<string> = new Set()

/** Per contact, the set of one column's values. */
function setsBy(rows: readonly Record<string, unknown>[], column: string) {
  const out = new Map<string, Set<string>>()
  for (const r of rows) {
    const id = r.contact_id as string
    let set = out.get(id)
    if (!set) out.set(id, (set = new Set()))
    set.add(r[column] as string)
  }
  return out
}

async function foldMerged(tx: Tx, merged: { from: string; into: string }[]) {
  for (const { from, into } of merged) {
    await tx`insert into list_members (list_id, contact_id, workspace_id, added_at)
      select list_id, ${into}, workspace_id, added_at from list_members where contact_id = ${from}
      on conflict do nothing`
    await tx`delete from list_members where contact_id = ${from}`
    await tx`insert into account_members (account_id, contact_id, workspace_id, source, joined_at)
      select account_id, ${into}, workspace_id, source, joined_at from account_members where contact_id = ${from}
      on conflict do nothing`
    await tx`delete from account_members where contact_id = ${from}`
  }
}

/**
 * A membership row to write, in the statement's short names (its parameter is serialized, sent
 * and parsed once per batch): segment, contact, member, seq; `a` a new row, `f` a transition.
 */
type MemberRow = { s: string; c: string; m: boolean; q: number; a: boolean; f: boolean }
type WindowRow = { contact_id: string; windows: Record<string, number[]> }

/**
 * Rows to write, split by whether the contact already has its own row: a new row is a plain
 * insert (no `on conflict`: under the contacts' row locks nothing else writes their rows, and
 * the read above saw all of them), which spares PostgreSQL the speculative insertion an upsert
 * makes per row.
 */
interface Outcome {
  members: MemberRow[]
  windows: { added: WindowRow[]; changed: WindowRow[] }
  transitions: SegmentTransition[]
}

type Source = { payload: unknown; timestamp: string }

/**
 * Decides every batch contact's memberships in memory, from what the transaction already holds:
 * no statement per contact or segment. Each event is turned into the engine's view once and
 * tested against every count window; a window that gained nothing keeps its stored array.
 */
function evaluate(
  segments: SegmentDef[],
  batch: AudienceBatch,
  stored: Map<string, Map<string, Membership>>,
  memory: Map<string, Record<string, number[]>>,
  saved: Map<string, Record<string, number[]>>,
  ctx: {
    subs: Map<string, Set<string>>
    lists: Map<string, Set<string>>
    accounts: Map<string, AccountFact[]>
  },
): Outcome {
  const nowMs = batch.now.getTime()
  const at = batch.now.toISOString()
  const halfLifeMs = halfLifeOf(batch.scorer)
  const grades = batch.scorer.ruleSet.grades
  // one memory per distinct count condition, however many segments share it
  const specs = [
    ...new Map(segments.flatMap((s) => s.compiled.windows.map((w) => [w.key, w]))).values(),
  ]
  const rebuilt = batch.backfill
    ? new Set(
        segments
          .find((s) => s.id === batch.backfill!.segmentId)
          ?.compiled.windows.map((w) => w.key) ?? [],
      )
    : null
  // the fields the engine's view reads (event.ts toView), with the stored timestamp
  const views = (source: readonly Source[] | undefined) =>
    (source ?? []).map((e) => {
      const p = e.payload as ScoringEvent
      return toView({
        type: p.type,
        event: p.event,
        name: p.name,
        properties: p.properties,
        context: p.context,
        messageId: p.messageId,
        timestamp: e.timestamp,
      })
    })
  const events = new Map<string, Source[]>()
  if (specs.length > 0)
    for (const e of batch.newEvents) {
      const list = events.get(e.contactId)
      if (list) list.push(e)
      else events.set(e.contactId, [e])
    }
  const out: Outcome = {
    members: [],
    windows: { added: [], changed: [] },
    transitions: [],
  }
  for (const row of batch.rows) {
    const before = memory.get(row.id) ?? {}
    let win = before
    if (specs.length > 0) {
      const fresh = views(events.get(row.id))
      const old = rebuilt ? views(batch.backfill!.events.get(row.id)) : []
      win = {}
      for (const spec of specs) {
        const rebuild = rebuilt !== null && rebuilt.has(spec.key)
        let times = rebuild ? [] : (before[spec.key] ?? [])
        for (const view of rebuild ? old : fresh)
          if (spec.test(view)) times = remember(times, view.at, spec.keep)
        if (times.length) win[spec.key] = times
      }
      // keys of segments no longer defined fall away with the next write
      const own = saved.get(row.id)
      if (!sameWindows(own ?? {}, win))
        out.windows[own ? 'changed' : 'added'].push({ contact_id: row.id, windows: win })
    }
    const facts: Facts = {
      nowMs,
      traits: row.state.traits,
      score: scoreFromKey(row.score.fit, row.score.key, nowMs, halfLifeMs, grades),
      key: { fit: row.score.fit, key: row.score.key, halfLifeMs },
      subscriptions: ctx.subs.get(row.id) ?? NONE,
      accounts: ctx.accounts.get(row.id) ?? [],
      segments: new Set(),
      lists: ctx.lists.get(row.id) ?? NONE,
      lastSeenMs: Date.parse(row.lastSeen),
      windows: win,
    }
    const mine = stored.get(row.id)
    let due = row.score.dueAt ? Date.parse(row.score.dueAt) : null
    for (const seg of segments) {
      const member = seg.compiled.test(facts)
      if (member) (facts.segments as Set<string>).add(seg.id)
      const d = seg.compiled.due(facts)
      if (d !== null && (due === null || d < due)) due = d
      const was = mine?.get(seg.id)
      const wasMember = was?.member ?? false
      if (wasMember === member && (!member || was!.own)) continue
      const fire = seg.ready && !batch.backfill && wasMember !== member
      const seq = (was?.seq ?? 0) + (fire ? 1 : 0)
      out.members.push({ s: seg.id, c: row.id, m: member, q: seq, a: !was?.own, f: fire })
      if (fire) {
        out.transitions.push({
          event: member ? 'Segment Entered' : 'Segment Exited',
          contactId: row.id,
          segmentId: seg.id,
          segmentKey: seg.key,
          name: seg.name,
          at,
        })
      }
    }
    row.score.dueAt = due === null ? null : new Date(Math.max(due, nowMs + 1000)).toISOString()
    row.dirty = true
  }
  return out
}

function sameWindows(a: Record<string, number[]>, b: Record<string, number[]>) {
  const keys = Object.keys(b)
  if (Object.keys(a).length !== keys.length) return false
  for (const k of keys) {
    const x = a[k]
    const y = b[k]!
    if (!x || x.length !== y.length || x.some((t, i) => t !== y[i])) return false
  }
  return true
}

async function writeOutcome(
  tx: Tx,
  workspaceId: string,
  batch: AudienceBatch,
  out: Outcome,
  gone: string[],
  enqueue: Enqueue,
) {
  const at = batch.now.toISOString()
  const writes: Promise<unknown>[] = []
  if (gone.length) {
    writes.push(tx`delete from segment_members where contact_id = any(${gone}::uuid[])`.execute())
    writes.push(
      tx`delete from segment_contact_state where contact_id = any(${gone}::uuid[])`.execute(),
    )
  }
  // A transition's Entered/Exited event is built by the statement from its membership row and
  // its segment's key and name (one entry per segment that fired).
  const rows = out.members
  const named = new Map<string, { i: string; k: string; n: string }>()
  for (const t of out.transitions)
    if (!named.has(t.segmentId))
      named.set(t.segmentId, { i: t.segmentId, k: t.segmentKey, n: t.name })
  // Memberships, count windows and Entered/Exited events in one statement (data-modifying
  // CTEs): one round trip whatever changed. Each event's payload is built by the statement
  // (jsonb keeps no key order, so the stored value is the one a JSON document of the same
  // fields would give): `{type: 'track', event, messageId, timestamp, properties: {segmentId,
  // segmentKey, segmentName}}`, its messageId `segment:<segment id>:<contact id>:<seq>`.
  const { windows } = out
  if (rows.length || windows.added.length || windows.changed.length) {
    writes.push(
      tx`with v as materialized (
        select * from jsonb_to_recordset(${tx.json(rows as never)})
          as v(s text, c uuid, m boolean, q int, a boolean, f boolean)
      ), m as (
        insert into segment_members (segment_id, contact_id, workspace_id, member, seq, changed_at)
        select v.s, v.c, ${workspaceId}, v.m, v.q, ${at} from v where v.a
        returning 1
      ), mc as (
        insert into segment_members (segment_id, contact_id, workspace_id, member, seq, changed_at)
        select v.s, v.c, ${workspaceId}, v.m, v.q, ${at} from v where not v.a
        on conflict (segment_id, contact_id) do update set member = excluded.member, seq = excluded.seq,
          changed_at = excluded.changed_at
        returning 1
      ), w as (
        insert into segment_contact_state (contact_id, workspace_id, windows)
        select v.contact_id, ${workspaceId}, v.windows
        from jsonb_to_recordset(${tx.json(windows.added as never)}) as v(contact_id uuid, windows jsonb)
        returning 1
      ), wc as (
        insert into segment_contact_state (contact_id, workspace_id, windows)
        select v.contact_id, ${workspaceId}, v.windows
        from jsonb_to_recordset(${tx.json(windows.changed as never)}) as v(contact_id uuid, windows jsonb)
        on conflict (contact_id) do update set windows = excluded.windows
        returning 1
      )
      insert into events (workspace_id, message_id, contact_id, type, event, timestamp, received_at, payload)
      select ${workspaceId}, e.id, v.c, 'track', e.name, ${at}::timestamptz, ${at}::timestamptz,
        jsonb_build_object('type', 'track', 'event', e.name, 'messageId', e.id, 'timestamp', ${at}::text,
          'properties', jsonb_build_object('segmentId', v.s, 'segmentKey', g.k, 'segmentName', g.n))
      from v
      join jsonb_to_recordset(${tx.json([...named.values()] as never)}) as g(i text, k text, n text) on g.i = v.s
      cross join lateral (select 'segment:' || v.s || ':' || v.c || ':' || v.q as id,
        case when v.m then 'Segment Entered' else 'Segment Exited' end as name) e
      where v.f
      on conflict (workspace_id, message_id) do nothing`.execute(),
    )
  }
  if (out.transitions.length) {
    writes.push(
      enqueue(
        tx,
        workspaceId,
        out.transitions.map((t) => ({
          type: t.event === 'Segment Entered' ? 'segment.entered' : 'segment.exited',
          contactId: t.contactId,
          data: { segmentId: t.segmentId, segmentKey: t.segmentKey, name: t.name },
          at,
        })),
      ),
    )
  }
  await Promise.all(writes)
}
