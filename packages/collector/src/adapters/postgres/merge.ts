import type { Tx } from './contact-rows.js'
import type { MergePlan } from '../../pipeline/plan.js'
import { mergePreferences } from './preferences.js'
import { mergeAlerts } from './lifecycle.js'

/**
 * Moves everything of each merged-away contact to its survivor and leaves it as a redirect, for
 * a whole batch in one pipeline of set-based statements (sent in this order on the transaction's
 * connection). Earlier redirects to a merged-away contact are re-pointed, so every merged-away id
 * resolves in one hop, forever. Each `from` appears once and every `into` is final (never itself
 * merged away in the batch), so the statements need no order among the merges.
 */
export async function applyMerges(tx: Tx, workspaceId: string, merges: MergePlan[]): Promise<void> {
  if (merges.length === 0) return
  const from = merges.map((m) => m.from)
  const into = merges.map((m) => m.into)
  const pairs = tx`unnest(${from}::uuid[], ${into}::uuid[]) m(f, i)`
  await Promise.all([
    tx`update identities x set contact_id = m.i from ${pairs} where x.contact_id = m.f`.execute(),
    tx`update events x set contact_id = m.i from ${pairs} where x.contact_id = m.f`.execute(),
    tx`update contacts x set merged_into = m.i, updated_at = now() from ${pairs}
      where x.id = m.f or x.merged_into = m.f`.execute(),
    tx`update identity_conflicts x set contact_id = m.i from ${pairs} where x.contact_id = m.f`.execute(),
    tx`update identity_conflicts x set other_contact_id = m.i from ${pairs}
      where x.other_contact_id = m.f`.execute(),
    tx`update score_history x set contact_id = m.i from ${pairs} where x.contact_id = m.f`.execute(),
    ...mergePreferences(tx, pairs),
    tx`insert into merges (workspace_id, from_contact, into_contact, reason)
      select ${workspaceId}, v.f, v.i, v.reason
      from jsonb_to_recordset(${tx.json(merges.map((m) => ({ f: m.from, i: m.into, reason: { messageId: m.messageId, via: m.via } })) as never)})
        as v(f uuid, i uuid, reason jsonb)`.execute(),
    mergeAlerts(tx, workspaceId, merges),
  ])
}
