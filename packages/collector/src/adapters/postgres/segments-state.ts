import type { Tx } from './contact-rows.js'
import { idsForGenericPlan } from './scoring.js'
import { loadSegments, type DefRow, type SegmentDef } from './segment-defs.js'

/**
 * What a batch reads for its segments (segments-eval.ts): the workspace's segments, by the
 * fingerprint of their rows, and the stored audience state of the batch's contacts, in one
 * statement where it can.
 */

type Reads = Record<'windows' | 'subscriptions' | 'lists', boolean>
export type StateRow = {
  k: 'm' | 'w' | 's' | 'l'
  c: string
  a: string
  n: number
  f: boolean
  j: Record<string, number[]>
}

const readsOf = (segments: readonly SegmentDef[]): Reads => ({
  windows: segments.some((s) => s.compiled.windows.length > 0),
  subscriptions: segments.some((s) => s.compiled.reads.subscriptions),
  lists: segments.some((s) => s.compiled.reads.lists),
})

// Per workspace, what its segments read when this process last evaluated them: a guess at what
// to read together with the definitions. A wrong guess costs one more statement, never a
// wrong answer (the state is read again below whenever the guess did not cover it).
const lastReads = new Map<string, Reads>()

/** The workspace has no segment to evaluate (the audience step skipped it): no guess kept. */
export const forgetReads = (workspaceId: string) => lastReads.delete(workspaceId)

// Per workspace, the segments this process last loaded, under the fingerprint of the rows they
// came from. Every batch reads the fingerprint in its transaction (so every process evaluates
// what is current in the database) and reads and orders the definitions again only when it
// differs: a batch of a few dozen events paid for parsing twenty definition rows and sorting
// them (docs/segments.md, Cost at ingest). Bounded: the oldest workspace goes first.
const loaded = new Map<string, { fingerprint: string; segments: SegmentDef[] }>()
const LOADED_MAX = 5_000

// Everything of a definition the evaluation reads but its compiled conditions (cached per
// version in segment-defs.ts), in evaluation order, as the rows' own text: a record's text
// quotes any field holding a comma, quote or parenthesis, so no field can run into the next
// and two different lists never give the same text. Compared whole, not digested: with twenty
// segments about 1.3 kB, made in about 50 µs, where `md5` of the rows as JSON took 240 µs of
// every transaction (PostgreSQL 15 on this machine, 2,000 calls in a loop).
const FINGERPRINT = `string_agg(row(id, key, name, version, status, browser)::text, ','
  order by created_at, id)`

/**
 * The workspace's segments and the stored audience state of the batch's contacts, in one
 * statement when this process has seen the workspace's segments before (each statement costs
 * a round trip, and on the embedded store a fixed share of CPU comparable to a few dozen row
 * writes): the definitions' fingerprint, memberships and count windows of the contacts and of
 * those merged into them, and subscriptions or lists when a segment reads them. One snapshot
 * for all of it.
 */
export async function segmentsAndState(
  tx: Tx,
  workspaceId: string,
  /** The batch's contacts and those merged into them. */
  all: string[],
): Promise<{ segments: SegmentDef[]; state: StateRow[] }> {
  const guess = lastReads.get(workspaceId)
  const rows = await tx`${guess ? idsOf(tx, all) : tx``}
    select 'd' as k, ${tx.unsafe(FINGERPRINT)} as c, null as a, null::int as n, null::bool as f,
      null::jsonb as j
    from segments where workspace_id = ${workspaceId}
    ${guess ? tx`union all ${stateQuery(tx, guess)}` : tx``}`
  const fingerprint = rows.find((r) => r.k === 'd')?.c as string | null
  const segments = fingerprint === null ? [] : await definitions(tx, workspaceId, fingerprint)
  if (segments.length === 0) {
    lastReads.delete(workspaceId)
    return { segments, state: [] }
  }
  const needs = readsOf(segments)
  lastReads.set(workspaceId, needs)
  const covered =
    guess !== undefined &&
    (Object.keys(needs) as (keyof Reads)[]).every((k) => guess[k] || !needs[k])
  const state = covered
    ? (rows.filter((r) => r.k !== 'd') as unknown as StateRow[])
    : ((await tx`${idsOf(tx, all)}
        ${stateQuery(tx, needs)}`) as unknown as StateRow[])
  return { segments, state }
}

/** The segments whose rows have this fingerprint: from memory, else read and ordered again. */
async function definitions(tx: Tx, workspaceId: string, fingerprint: string) {
  const hit = loaded.get(workspaceId)
  if (hit?.fingerprint === fingerprint) return hit.segments
  // The fingerprint again, from the same snapshot as the rows it is stored with: a segment
  // changed since the statement above is then loaded under its own fingerprint.
  const defs = await tx`select id, key, name, version, status, browser,
      (select ${tx.unsafe(FINGERPRINT)} from segments where workspace_id = ${workspaceId})
        as fingerprint
    from segments where workspace_id = ${workspaceId} order by created_at, id`
  if (defs.length === 0) return []
  const segments = await loadSegments(tx, workspaceId, defs as unknown as DefRow[])
  loaded.delete(workspaceId)
  if (loaded.size >= LOADED_MAX) loaded.delete(loaded.keys().next().value!)
  loaded.set(workspaceId, { fingerprint: defs[0]!.fingerprint as string, segments })
  return segments
}

/** The contacts whose state is read, as `a.ids` for `stateQuery`. */
const idsOf = (tx: Tx, all: string[]) => tx`with a as (select ${idsForGenericPlan(tx, all)} as ids)`

/**
 * The audience state rows (`k`: membership, window, subscription, list) of these contacts. The
 * ids are sent once, as one array parameter (`a`, the batch's contacts and those merged into
 * them; subscriptions and lists of a merged-away contact come back too and are ignored, its
 * own were moved to the survivor first), and reached through `idsForGenericPlan` (scoring.ts):
 * given the array itself, PostgreSQL planned this statement again on every batch (0.16 ms a
 * time, more than it took to run).
 */
function stateQuery(tx: Tx, reads: Reads) {
  return tx`select 'm' as k, contact_id::text as c, segment_id as a, seq as n, member as f,
      null::jsonb as j
    from segment_members, a where contact_id = any(a.ids)
    ${
      reads.windows
        ? tx`union all select 'w', contact_id::text, null, null, null, windows
      from segment_contact_state, a where contact_id = any(a.ids)`
        : tx``
    }
    ${
      reads.subscriptions
        ? tx`union all select 's', contact_id::text, topic, null, null, null
      from subscriptions, a where contact_id = any(a.ids) and status = 'subscribed'`
        : tx``
    }
    ${
      reads.lists
        ? tx`union all select 'l', contact_id::text, list_id, null, null, null
      from list_members, a where contact_id = any(a.ids)`
        : tx``
    }`
}
