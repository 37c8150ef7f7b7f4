/**
 * Fewer writes per membership row (docs/segments.md, "Cost at ingest"). Ingest writes a
 * `segment_members` row for every segment a contact enters, and a `segment_contact_state` row
 * when its counted events change, inside the ingest transaction. Each foreign key made every
 * such row run a referential check (a `select … for key share` on `segments` or `workspaces`),
 * and a new member took three index entries. Now no foreign keys: a segment's rows are
 * deleted with it (`deleteSegment`), a workspace's by the shard move's clean-up, which deletes
 * the rows no cascade reaches. And two indexes: the primary key leads with the contact (what
 * ingest, merges and profiles read; 0014's index by contact goes), and one by segment holding
 * every row with `member` in the key (member lists, counts and exports read `segment_id = $1
 * and member` in contact id order as from 0007's members-only index; deleting a segment's rows
 * reads it too).
 */
export const up = /* sql */ `
alter table segment_members
  drop constraint segment_members_segment_id_fkey,
  drop constraint segment_members_workspace_id_fkey,
  drop constraint segment_members_pkey,
  add primary key (contact_id, segment_id);
drop index segment_members_by_contact;
drop index segment_members_list;
create index segment_members_segment on segment_members (segment_id, member, contact_id);
alter table segment_contact_state drop constraint segment_contact_state_workspace_id_fkey;
`
