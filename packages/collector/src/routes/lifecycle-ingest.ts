import type { Validated } from '../ingest/validate.js'
import type { LiveEntry } from '../live/feed.js'
import type { ContactAlert, LifecycleStore } from '../lifecycle/port.js'
import { applyLifecyclePolicy, needsReasons, type ReasonLists } from '@lodestone/lifecycle'

/**
 * Applies the lifecycle policy to validated events in place: lifecycle events without the
 * secret key, with invalid properties or with an unknown reason move to `rejected` (each with
 * a clear issue); the rest have normalised properties and traits.
 * @example await applyIngestPolicy(store, workspace.id, 'write', validated)
 */
export async function applyIngestPolicy(
  store: Pick<LifecycleStore, 'getLifecycleSettings'>,
  workspaceId: string,
  keyKind: 'write' | 'secret',
  validated: Validated,
): Promise<void> {
  const events = validated.valid.map((v) => ({ index: v.index, raw: v.raw }))
  let reasons: ReasonLists | null = null
  if (keyKind === 'secret' && needsReasons(events)) {
    reasons = (await store.getLifecycleSettings(workspaceId)).reasons
  }
  const valid: Validated['valid'] = []
  let rejectedAny = false
  // One options object per request, not per event (each closure costs a name definition
  // under the tsx loader the CLI runs on).
  const policy = { keyKind, reasons: () => reasons! }
  for (const v of validated.valid) {
    const r = applyLifecyclePolicy({ index: v.index, raw: v.raw }, policy)
    if (r.ok) valid.push(r.raw === v.raw ? v : { ...v, raw: r.raw })
    else {
      rejectedAny = true
      const id = v.raw.messageId
      validated.rejected.push({
        index: v.index,
        ...(typeof id === 'string' || typeof id === 'number' ? { messageId: String(id) } : {}),
        issues: r.issues,
      })
    }
  }
  validated.valid = valid
  if (rejectedAny) validated.rejected.sort((a, b) => a.index - b.index)
}

/** Live-feed entries for alerts that fired. */
export function alertEntries(alerts: readonly ContactAlert[] | undefined): LiveEntry[] {
  return (alerts ?? []).map(({ kind, ...a }) => ({
    ...a,
    kind: 'alert',
    event: 'Alert Fired',
    alertKind: kind,
  }))
}
