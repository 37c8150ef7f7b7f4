import type { ContactRef, ContactStore, ContactView } from '../ports.js'

/** Everything held on one contact: `GET /v1/contacts/:ref/export` and `lodestone export --email …`. */
export interface ContactExport {
  exportedAt: string
  contact: ContactView
  events: Record<string, unknown>[]
}

/**
 * One contact (merged-away ids answer with the survivor) with all its events; null when unknown.
 * @example const doc = await exportContact(store, 'ws_1', { kind: 'email', value: 'ana@example.com' }, new Date())
 */
export async function exportContact(
  store: Pick<ContactStore, 'getContact' | 'contactEvents'>,
  workspaceId: string,
  ref: ContactRef,
  now: Date,
): Promise<ContactExport | null> {
  const contact = await store.getContact(workspaceId, ref, now)
  if (!contact) return null
  const events: Record<string, unknown>[] = []
  let cursor: string | undefined
  do {
    const page = await store.contactEvents(workspaceId, contact.id, { limit: 1000, cursor })
    if (!page) break
    events.push(...page.events)
    cursor = page.next ?? undefined
  } while (cursor)
  return { exportedAt: now.toISOString(), contact, events }
}
