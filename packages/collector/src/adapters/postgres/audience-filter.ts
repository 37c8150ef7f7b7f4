import type { Fragment, Sql } from 'postgres'

/**
 * SQL (alias `c`) keeping members of a segment or static list (`segmentId`: a `seg_…` or
 * `lst_…` id, as lists-store.ts makes them) and of an account. Unknown ids match nobody.
 */
export function audienceFilter(
  sql: Sql,
  workspaceId: string,
  f: { segmentId?: string; accountId?: string },
): Fragment {
  let out = sql`true`
  if (f.segmentId?.startsWith('lst_')) {
    out = sql`${out} and c.id in (select m.contact_id from list_members m
      where m.list_id = ${f.segmentId} and m.workspace_id = ${workspaceId})`
  } else if (f.segmentId) {
    out = sql`${out} and c.id in (select m.contact_id from segment_members m
      where m.segment_id = ${f.segmentId} and m.workspace_id = ${workspaceId} and m.member)`
  }
  if (f.accountId) {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
    out = uuid.test(f.accountId)
      ? sql`${out} and c.id in (select m.contact_id from account_members m
          where m.account_id = ${f.accountId} and m.workspace_id = ${workspaceId})`
      : sql`false`
  }
  return out
}
