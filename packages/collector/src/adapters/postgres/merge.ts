import type { Tx } from './contact-rows.js'
import type { Identifier } from '../../identity/identifiers.js'
import { mergePreferences } from './preferences.js'

/**
 * Moves everything of contact `from` to `into` and leaves `from` as a redirect. Earlier
 * redirects to `from` are re-pointed, so every merged-away id resolves in one hop, forever.
 */
export async function applyMerge(
  tx: Tx,
  workspaceId: string,
  from: string,
  into: string,
  reason: { messageId: string; via: Identifier[] },
): Promise<void> {
  await tx`update identities set contact_id = ${into} where contact_id = ${from}`
  await tx`update events set contact_id = ${into} where contact_id = ${from}`
  await tx`update contacts set merged_into = ${into}, updated_at = now()
    where id = ${from} or merged_into = ${from}`
  await tx`update identity_conflicts set contact_id = ${into} where contact_id = ${from}`
  await tx`update identity_conflicts set other_contact_id = ${into} where other_contact_id = ${from}`
  await tx`update score_history set contact_id = ${into} where contact_id = ${from}`
  await mergePreferences(tx, from, into)
  await tx`insert into merges (workspace_id, from_contact, into_contact, reason)
    values (${workspaceId}, ${from}, ${into}, ${tx.json(reason as never)})`
}
