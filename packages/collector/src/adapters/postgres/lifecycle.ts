import { isLifecycleEvent, LIFECYCLE_EVENT_NAMES } from '@lodestone/protocol'
import type { WebhookEvent } from '../../webhooks/types.js'
import {
  evaluateAlerts,
  STORED_COMPUTED_TRAITS,
  ticketCreationTimes,
  type AlertSnapshot,
  type AlertState,
  type ComputedTraits,
  type LifecycleEventInput,
} from '@lodestone/lifecycle'
import type { ContactAlert, LifecycleSettings } from '../../lifecycle/port.js'
import type { ContactRow, Tx } from './contact-rows.js'
import type { LifecycleInput } from '../../pipeline/batch.js'
import { alertFromRow } from './lifecycle-reads.js'
import { loadLifecycleSettings, traitComputerFor } from './lifecycle-settings.js'
import { idsForGenericPlan } from './scoring.js'

/** Merged contacts' alerts are moved by applyMerges (merge.ts) before this step runs. */
export type LifecycleHookInput = LifecycleInput

type Enqueue = (tx: Tx, workspaceId: string, events: WebhookEvent[]) => Promise<void>

/** Trait stamp of computed traits: sorts after every `timestamp|messageId`, so an identify
 * call never overwrites them; only the next recomputation does. */
const COMPUTED_STAMP = '~computed'

/** The lifecycle event names as SQL literals (constants of @lodestone/protocol). */
const LIFECYCLE_NAMES_SQL = LIFECYCLE_EVENT_NAMES.map((n) => `'${n.replaceAll("'", "''")}'`).join(
  ', ',
)

const num = (v: unknown) => (typeof v === 'number' ? v : null)

/**
 * The lifecycle step of the ingest transaction: for contacts that got a lifecycle event (or a
 * merge, or a grade change when a rule watches grades) it recomputes the computed traits from
 * all their lifecycle events, evaluates the alert rules, records alerts that fired and writes
 * their webhooks to the outbox. Requests without such contacts cost nothing.
 */
export async function applyLifecycle(
  tx: Tx,
  workspaceId: string,
  input: LifecycleHookInput,
  enqueue: Enqueue,
): Promise<ContactAlert[]> {
  return (await lifecycleStep(tx, workspaceId, input, enqueue)).written
}

/**
 * `applyLifecycle` in two halves: it resolves once the contacts' computed traits are updated and
 * the writes are sent (`enqueue` must send before it returns, as an outbox from
 * `outboxFor` in webhooks.ts does), and `written` once those writes ran, with the alerts they
 * recorded. `settings`, when given, were read earlier in the transaction (saves a round trip).
 */
export async function lifecycleStep(
  tx: Tx,
  workspaceId: string,
  input: LifecycleHookInput,
  enqueue: Enqueue,
  settingsRead?: Promise<LifecycleSettings>,
): Promise<{ written: Promise<ContactAlert[]> }> {
  const nothing = { written: Promise.resolve([]) }
  const lifecycleIds = new Set(input.merged.map((m) => m.into))
  for (const e of input.newEvents) if (isLifecycleEvent(e.event)) lifecycleIds.add(e.contactId)
  const gradeChanged = new Map(
    input.changes.filter((c) => c.grade !== c.previousGrade).map((c) => [c.contactId, c]),
  )
  if (lifecycleIds.size === 0 && gradeChanged.size === 0) return nothing
  const readSettings = () => settingsRead ?? loadLifecycleSettings(tx, workspaceId)

  const has = (id: string) => input.contacts.has(id)
  const candidates = [...new Set([...lifecycleIds, ...gradeChanged.keys()])].filter(has)
  // A contact first seen in this batch has no alert state yet, and no lifecycle event unless
  // this batch brought one (it is then in `lifecycleIds`): nothing to read for it. A batch
  // whose grade changes are all new contacts' skips the reads (lifecycle-before.test.ts checks
  // that an older contact's are still read).
  const stored = candidates.filter((id) => lifecycleIds.has(id) || !input.contacts.get(id)!.isNew)
  // With lifecycle events, settings, events and alert state are read in one round trip; with
  // only grade changes, the settings first say whether any rule watches grades at all.
  const load = async (
    ids: string[],
  ): Promise<[Map<string, LifecycleEventInput[]>, Map<string, AlertState>]> =>
    ids.length === 0
      ? [new Map(), new Map()]
      : Promise.all([lifecycleEvents(tx, workspaceId, ids), alertStates(tx, ids)])
  let settings: LifecycleSettings
  let loaded: Awaited<ReturnType<typeof load>>
  if (lifecycleIds.size > 0) {
    const [s, ...rest] = await Promise.all([
      readSettings(),
      lifecycleEvents(tx, workspaceId, stored),
      alertStates(tx, stored),
    ])
    settings = s
    loaded = rest
  } else {
    settings = await readSettings()
    if (!watchesGrades(settings) || candidates.length === 0) return nothing
    loaded = await load(stored)
  }
  const ids = watchesGrades(settings) ? candidates : candidates.filter((id) => lifecycleIds.has(id))
  const [byContact, saved] = loaded

  const computer = traitComputerFor(settings)
  const at = input.now.toISOString()
  const states: { contact_id: string; state: AlertState }[] = []
  const fired: Omit<ContactAlert, 'id'>[] = []
  const webhooks: WebhookEvent[] = []
  for (const id of ids) {
    const row = input.contacts.get(id)!
    const events = byContact.get(id) ?? []
    const old = row.state.traits
    const traits = events.length ? computer.compute(events, input.now) : null
    const change = gradeChanged.get(id)
    const before: AlertSnapshot = {
      traits: {
        csat: num(old.csat),
        nps: num(old.nps),
        ces: num(old.ces),
        churnRisk: num(old.churnRisk),
      },
      grade: change ? change.previousGrade : row.score.grade,
    }
    const after: AlertSnapshot = {
      traits: traits ?? before.traits,
      grade: row.score.grade,
      ticketCreatedAt: ticketCreationTimes(events),
    }
    const result = evaluateAlerts(settings.alertRules, {
      before,
      after,
      state: saved.get(id),
      now: input.now,
    })
    // A stored state that did not change is not written again (a row update and its WAL).
    const stored = saved.get(id)
    if (!stored || !sameState(stored, result.state))
      states.push({ contact_id: id, state: result.state })
    for (const a of result.fired) {
      fired.push({ ...a, contactId: id })
      webhooks.push({ type: 'alert.fired', contactId: id, data: { ...a }, at })
    }
    if (traits) {
      const changed = writeComputedTraits(row, traits)
      if (Object.keys(changed).length > 0) {
        webhooks.push({
          type: 'contact.traits_changed',
          contactId: id,
          data: { changed, traits: row.state.traits, computed: true },
          at,
        })
      }
    }
  }
  // The writes are independent of each other: one pipeline, sent now, in this order.
  const written = Promise.all([
    fired.length ? insertAlerts(tx, workspaceId, fired) : [],
    states.length
      ? tx`insert into contact_alert_state (contact_id, workspace_id, state)
      select v.contact_id, ${workspaceId}, v.state
      from jsonb_to_recordset(${tx.json(states as never)}) as v(contact_id uuid, state jsonb)
      on conflict (contact_id) do update set state = excluded.state, updated_at = now()`.execute()
      : null,
    enqueue(tx, workspaceId, webhooks),
  ]).then(([alerts]) => alerts)
  return { written }
}

/** Same rules with the same `active` and `since` (key order aside: jsonb reorders keys). */
function sameState(a: AlertState, b: AlertState): boolean {
  const keys = Object.keys(b)
  if (Object.keys(a).length !== keys.length) return false
  return keys.every(
    (k) =>
      Object.hasOwn(a, k) && a[k]!.active === b[k]!.active && (a[k]!.since ?? null) === b[k]!.since,
  )
}

const watchesGrades = (s: LifecycleSettings) => s.alertRules.some((r) => r.kind === 'grade_became')

export async function lifecycleEvents(tx: Tx, workspaceId: string, ids: string[]) {
  const byContact = new Map<string, LifecycleEventInput[]>()
  // The names as literals, the ids hidden from the planner: the statement keeps one generic plan
  // on the partial index events_lifecycle (migration 0005) instead of being planned on every
  // batch (scoring.ts, `idsForGenericPlan`).
  const rows = await tx`select contact_id, event, timestamp, payload->'properties' as properties
    from events where workspace_id = ${workspaceId}
    and contact_id = any(${idsForGenericPlan(tx, ids)})
    and event in (${tx.unsafe(LIFECYCLE_NAMES_SQL)})`
  for (const r of rows) {
    const list = byContact.get(r.contact_id as string) ?? []
    list.push({ event: r.event, timestamp: r.timestamp, properties: r.properties })
    byContact.set(r.contact_id as string, list)
  }
  return byContact
}

async function alertStates(tx: Tx, ids: string[]) {
  const saved = new Map<string, AlertState>()
  const rows = await tx`select contact_id, state from contact_alert_state
    where contact_id = any(${ids}::uuid[])`
  for (const r of rows) saved.set(r.contact_id as string, r.state as AlertState)
  return saved
}

async function insertAlerts(
  tx: Tx,
  workspaceId: string,
  fired: Omit<ContactAlert, 'id'>[],
): Promise<ContactAlert[]> {
  const inserted = await tx`
      insert into contact_alerts (workspace_id, contact_id, rule_id, kind, name, value, message, at)
      select ${workspaceId}, v.contact_id, v.rule_id, v.kind, v.name, v.value, v.message, v.at
      from jsonb_to_recordset(${tx.json(
        fired.map((f) => ({
          contact_id: f.contactId,
          rule_id: f.ruleId,
          kind: f.kind,
          name: f.name,
          value: f.value,
          message: f.message,
          at: f.at,
        })) as never,
      )}) as v(contact_id uuid, rule_id text, kind text, name text, value jsonb, message text, at timestamptz)
      returning id, contact_id, rule_id, kind, name, value, message, at`
  return inserted.map(alertFromRow)
}

/**
 * Alerts follow a merge (called by applyMerges for a batch's merges). A rule holds for the
 * survivor if it held for any contact merged into it (since the earliest time), so a condition
 * they already met does not fire again because of the merge.
 */
export async function mergeAlerts(
  tx: Tx,
  workspaceId: string,
  merges: readonly { from: string; into: string }[],
) {
  const from = merges.map((m) => m.from)
  const into = merges.map((m) => m.into)
  const [, rows] = await Promise.all([
    tx`update contact_alerts x set contact_id = m.i from unnest(${from}::uuid[], ${into}::uuid[]) m(f, i)
      where x.contact_id = m.f`.execute(),
    tx`delete from contact_alert_state where contact_id = any(${[...from, ...into]}::uuid[])
      returning contact_id, state`.execute(),
  ])
  if (rows.length === 0) return
  const survivor = new Map(merges.map((m) => [m.from, m.into]))
  const merged = new Map<string, AlertState>()
  for (const r of rows) {
    const id = survivor.get(r.contact_id as string) ?? (r.contact_id as string)
    const state = merged.get(id) ?? (Object.create(null) as AlertState)
    merged.set(id, state)
    for (const [rule, s] of Object.entries(r.state as AlertState)) {
      const prev = state[rule]
      if (!prev || (s.active && (!prev.active || (s.since ?? '') < (prev.since ?? ''))))
        state[rule] = s
    }
  }
  const states = [...merged].map(([contact_id, state]) => ({ contact_id, state }))
  await tx`insert into contact_alert_state (contact_id, workspace_id, state)
    select v.contact_id, ${workspaceId}, v.state
    from jsonb_to_recordset(${tx.json(states as never)}) as v(contact_id uuid, state jsonb)`
}

/** Sets computed traits on the row; returns the ones whose value changed. */
function writeComputedTraits(row: ContactRow, traits: ComputedTraits): Record<string, unknown> {
  const changed: Record<string, unknown> = {}
  const values: [string, unknown][] = STORED_COMPUTED_TRAITS.map((key) => [key, traits[key]])
  for (const [key, value] of Object.entries(traits.custom ?? {})) values.push([key, value])
  for (const [key, value] of values) {
    if (row.state.traits[key] !== value || row.state.times[key] !== COMPUTED_STAMP) {
      if (row.state.traits[key] !== value) changed[key] = value
      row.state.traits[key] = value
      row.state.times[key] = COMPUTED_STAMP
      row.dirty = true
    }
  }
  return changed
}
