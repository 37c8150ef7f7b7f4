/**
 * The segments, lists and accounts role port (docs/segments.md, docs/accounts.md): what the
 * routes, the dashboard and the time sweep use. One PostgreSQL implementation:
 * adapters/postgres/segments-store.ts.
 */
export interface SegmentRef {
  id: string
  name: string
}

export interface ContactAudience {
  segments: SegmentRef[]
  lists: SegmentRef[]
  accounts: { id: string; groupId: string; name: string | null; role: string }[]
}

export interface AudiencePort {
  /** The segments, lists and accounts one contact belongs to. */
  contactAudience(workspaceId: string, contactId: string): Promise<ContactAudience>
}
