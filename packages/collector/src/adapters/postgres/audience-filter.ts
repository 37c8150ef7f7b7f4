import type { Fragment, Sql } from 'postgres'

/** Whether an audience id names a static list (lists-store.ts makes `lst_…` ids). */
export const isListId = (id: string) => id.startsWith('lst_')

/**
 * SQL (alias `c`) keeping members of a segment or static list (`segmentId`: a `seg_…` or
 * `lst_…` id, as lists-store.ts makes them) and of an account. Unknown ids match nobody. Each
 * is a correlated probe of the membership key, so a page checking a window of contacts reads
 * one entry per contact rather than hashing a segment of hundreds of thousands first.
 */
export function audienceFilter(
  sql: Sql,
  workspaceId: string,
  f: { segmentId?: string; accountId?: string },
): Fragment {
  let out = sql`true`
  if (f.segmentId && isListId(f.segmentId)) {
    out = sql`${out} and exists (select 1 from list_members m
      where m.list_id = ${f.segmentId} and m.contact_id = c.id and m.workspace_id = ${workspaceId})`
  } else if (f.segmentId) {
    out = sql`${out} and exists (select 1 from segment_members m
      where m.segment_id = ${f.segmentId} and m.contact_id = c.id
        and m.workspace_id = ${workspaceId} and m.member)`
  }
  if (f.accountId) {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
    out = uuid.test(f.accountId)
      ? sql`${out} and exists (select 1 from account_members m
          where m.account_id = ${f.accountId} and m.contact_id = c.id
            and m.workspace_id = ${workspaceId})`
      : sql`false`
  }
  return out
}
