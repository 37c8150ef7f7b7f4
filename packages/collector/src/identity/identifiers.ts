import { checkEmail } from '@lodestone/lifecycle'
import type { SegmentEvent } from '@lodestone/protocol'

/** One identifier of a person: (kind, value). Kinds: anonymousId, userId, email, external:<type>. */
export interface Identifier {
  kind: string
  value: string
}

const MAX_EXTERNAL_IDS = 10

/**
 * Trimmed, lower-cased e-mail, or null when it is not a valid address. The one rule for
 * addresses (docs/identity.md): what the data-quality report calls invalid never links contacts.
 */
export function normaliseEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const check = checkEmail(value)
  return check.valid ? check.email : null
}

export function identifierKey(id: Identifier): string {
  return `${id.kind}\u001f${id.value}`
}

function traitEmail(traits: unknown): string | null {
  if (!traits || typeof traits !== 'object') return null
  return normaliseEmail((traits as Record<string, unknown>).email)
}

/**
 * Every identifier an event carries. `previousId` of an alias is resolved by the planner (it may
 * name a userId or an anonymousId), so it is returned apart.
 */
export function identifiersOf(event: SegmentEvent): {
  ids: Identifier[]
  previousId: string | null
} {
  const ids: Identifier[] = []
  if (event.anonymousId) ids.push({ kind: 'anonymousId', value: event.anonymousId })
  if (event.userId) ids.push({ kind: 'userId', value: event.userId })
  const email =
    (event.type === 'identify' ? traitEmail(event.traits) : null) ??
    traitEmail(event.context?.traits)
  if (email) ids.push({ kind: 'email', value: email })
  const external = (event.context as { externalIds?: unknown } | undefined)?.externalIds
  if (Array.isArray(external)) {
    for (const x of external.slice(0, MAX_EXTERNAL_IDS)) {
      if (!x || typeof x !== 'object') continue
      const { id, type } = x as { id?: unknown; type?: unknown }
      if ((typeof id === 'string' || typeof id === 'number') && typeof type === 'string' && type) {
        ids.push({ kind: `external:${type.slice(0, 64)}`, value: String(id).slice(0, 512) })
      }
    }
  }
  const previousId = event.type === 'alias' ? event.previousId : null
  return { ids, previousId }
}
