import type { Sql } from 'postgres'
import { createScorer, DEFAULT_RULES } from '@lodestone/scoring'
import type { ScoreChange } from '../../ports.js'
import type { ContactAlert } from '../../lifecycle/port.js'
import type { SegmentTransition } from '../../segments/live.js'
import type { WebhookEvent } from '../../webhooks/types.js'
import { lockContacts, saveContacts, type Tx } from './contact-rows.js'
import { recordHistory, webhookEvents } from './ingest.js'
import { applyLifecycle } from './lifecycle.js'
import type { RulesCache } from './rules-cache.js'
import { scoreContacts } from './scoring.js'
import { applyAudiences } from './segments-eval.js'

type Enqueue = (tx: Tx, workspaceId: string, events: WebhookEvent[]) => Promise<void>

export interface SweepResult {
  workspaceId: string
  changes: ScoreChange[]
  transitions: SegmentTransition[]
  alerts: ContactAlert[]
}

/**
 * Changes that time alone causes: contacts whose `due_at` has passed (a grade threshold
 * crossed by decay, a session now over, an event leaving a segment's window) are rescored
 * and re-evaluated as of `now`, firing exactly what an event would (score history, grade
 * webhooks, alerts, segment transitions). Rows are claimed `for update skip locked`, so
 * several collector processes share the work and each contact is handled by one of them; the
 * stored grade and memberships are the "before", so a crossing is announced once.
 */
export async function sweepDue(
  sql: Sql,
  rules: RulesCache,
  enqueue: Enqueue,
  now: Date,
  limit = 500,
): Promise<SweepResult[]> {
  return sql.begin(async (tx) => {
    const due = await tx`select id, workspace_id from contacts
      where merged_into is null and due_at <= ${now} order by due_at limit ${limit}
      for update skip locked`
    return reevaluateClaimed(tx, rules, enqueue, due, now)
  })
}

/** Claimed contacts re-evaluated workspace by workspace, in the caller's transaction. */
async function reevaluateClaimed(
  tx: Tx,
  rules: RulesCache,
  enqueue: Enqueue,
  claimed: readonly Record<string, unknown>[],
  now: Date,
): Promise<SweepResult[]> {
  const byWorkspace = new Map<string, string[]>()
  for (const r of claimed) {
    const ws = r.workspace_id as string
    byWorkspace.set(ws, [...(byWorkspace.get(ws) ?? []), r.id as string])
  }
  const out: SweepResult[] = []
  for (const [workspaceId, ids] of byWorkspace)
    out.push(await reevaluate(tx, rules, enqueue, workspaceId, ids, now))
  return out
}

let defaultsFingerprint: string | null = null
const todaysDefaults = () => (defaultsFingerprint ??= createScorer(DEFAULT_RULES).fingerprint)

/**
 * Contacts of workspaces on the built-in default rules whose score came from other rules (the
 * defaults changed in a release since), re-evaluated like due contacts: their scores are
 * replayed with today's defaults and their accounts rescored in the same transaction
 * (docs/accounts.md). A saved rules version needs none of this: saving rescores.
 *
 * Each workspace's marker (`defaults_sweeps`) names the defaults its sweep finished for, so once
 * every workspace's names today's, a pass reads only workspaces and markers, never contacts:
 * the sweep runs once per defaults change, whether a Node process runs this every minute for
 * months or a Workers cron run starts afresh each time. A workspace is swept by one process at
 * a time: its marker row stays locked for the batch's transaction (the lease; a crashed
 * process's lock goes with its connection), and others skip to the next workspace. Up to
 * `limit` contacts per pass; the marker is set once a batch leaves no contact of the workspace
 * on other rules, counting those another transaction holds.
 */
export async function sweepStaleDefaults(
  sql: Sql,
  rules: RulesCache,
  enqueue: Enqueue,
  now: Date,
  limit = 500,
): Promise<SweepResult[]> {
  const fingerprint = todaysDefaults()
  const pending = (
    await sql`select w.id from workspaces w
      where not exists (select 1 from scoring_rules r where r.workspace_id = w.id)
        and not exists (select 1 from defaults_sweeps d
          where d.workspace_id = w.id and d.fingerprint = ${fingerprint})
      order by w.id`
  ).map((r) => r.id as string)
  if (pending.length === 0) return []
  await sql`insert into defaults_sweeps (workspace_id)
    select * from unnest(${pending}::text[]) on conflict do nothing`
  const out: SweepResult[] = []
  const visited: string[] = []
  let budget = limit
  while (budget > 0) {
    const swept = await sql.begin(async (tx) => {
      const [lease] = await tx`select workspace_id from defaults_sweeps
        where workspace_id = any(${pending}::text[]) and workspace_id <> all(${visited}::text[])
          and fingerprint is distinct from ${fingerprint}
        order by workspace_id limit 1 for update skip locked`
      if (!lease) return null
      const workspaceId = lease.workspace_id as string
      const stale = await tx`select id, workspace_id from contacts
        where workspace_id = ${workspaceId} and merged_into is null
          and score_rules is distinct from ${fingerprint}
        limit ${budget} for update skip locked`
      const results = await reevaluateClaimed(tx, rules, enqueue, stale, now)
      if (stale.length < budget) {
        const [left] = await tx`select 1 from contacts
          where workspace_id = ${workspaceId} and merged_into is null
            and score_rules is distinct from ${fingerprint} limit 1`
        if (!left)
          await tx`update defaults_sweeps set fingerprint = ${fingerprint}, finished_at = ${now}
            where workspace_id = ${workspaceId}`
      }
      return { workspaceId, contacts: stale.length, results }
    })
    if (!swept) break
    visited.push(swept.workspaceId)
    out.push(...swept.results)
    budget -= swept.contacts
  }
  return out
}

/**
 * Rescores the workspace's contacts as of `now` and re-evaluates their segments inside `tx`,
 * firing what an event would: the due sweep, and a static list's members changing.
 */
export async function reevaluate(
  tx: Tx,
  rules: RulesCache,
  enqueue: Enqueue,
  workspaceId: string,
  ids: string[],
  now: Date,
): Promise<SweepResult> {
  const contacts = await lockContacts(tx, ids)
  const rows = [...contacts.values()]
  const { scorer } = await rules.current(tx, workspaceId)
  const changes = await scoreContacts(tx, scorer, rows, new Map(), new Set(), now)
  const batch = { rows, newEvents: [], merged: [], now, scorer }
  const transitions = await applyAudiences(tx, workspaceId, batch, enqueue)
  const alerts = await applyLifecycle(
    tx,
    workspaceId,
    { contacts, newEvents: [], changes, merged: [], now },
    enqueue,
  )
  await Promise.all([
    saveContacts(tx, workspaceId, rows),
    recordHistory(tx, workspaceId, changes),
    enqueue(tx, workspaceId, webhookEvents(contacts, changes, new Map(), [], [], now)),
  ])
  return { workspaceId, changes, transitions, alerts }
}

/** Today's member count of every segment, kept for the size-over-time chart. */
export async function recordDailyCounts(sql: Sql, now: Date): Promise<void> {
  const day = now.toISOString().slice(0, 10)
  await sql`insert into segment_daily_counts (segment_id, day, members)
    select s.id, ${day}::date, (select count(*)::int from segment_members m
      where m.segment_id = s.id and m.member)
    from segments s where s.status = 'ready'
    on conflict (segment_id, day) do update set members = excluded.members`
}
