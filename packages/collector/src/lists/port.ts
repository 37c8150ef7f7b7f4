import type { ContactExportSource } from '@lodestone/lifecycle'
import type { SweepOutcome } from '../segments/port.js'

/**
 * Static lists and member exports (docs/segments.md): what `routes/lists.ts` uses. One
 * implementation: adapters/postgres/lists-store.ts.
 */
export interface ListView {
  id: string
  name: string
  members: number
  createdAt: string
}

/** Contacts named by id or by e-mail address (never both in one request). */
export type MemberRefs = { contactIds: string[] } | { emails: string[] }

export interface MemberChange {
  /** Contacts that joined (add) or left (remove) the list. */
  changed: number
  /** Contacts already in (add) or not in (remove) the list. */
  unchanged: number
  /** Ids or e-mails that name no contact of the workspace. */
  notFound: string[]
  /** Segment transitions the change caused, committed with it. */
  outcome: SweepOutcome
}

/** A segment's or a list's members. */
export type Audience = { kind: 'segment' | 'list'; id: string }

export interface ListsPort {
  createList(workspaceId: string, name: string): Promise<ListView>
  listLists(workspaceId: string): Promise<ListView[]>
  getList(workspaceId: string, id: string): Promise<ListView | null>
  deleteList(workspaceId: string, id: string): Promise<boolean>
  /** Adds or removes members and re-evaluates their segments in the same transaction; null: no list. */
  changeMembers(
    workspaceId: string,
    id: string,
    op: 'add' | 'remove',
    refs: MemberRefs,
    now: Date,
  ): Promise<MemberChange | null>
  listMembers(
    workspaceId: string,
    id: string,
    opts: { limit: number; cursor?: string; now: Date },
  ): Promise<{ contacts: Record<string, unknown>[]; next: string | null } | null>
  /** Whether the segment or list exists in the workspace. */
  audienceExists(workspaceId: string, audience: Audience): Promise<boolean>
  /** The audience's live members in id order, scored as of `now`, for exportChunks. */
  exportSource(audience: Audience, now: Date): ContactExportSource
}
