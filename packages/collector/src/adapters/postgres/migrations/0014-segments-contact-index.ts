/**
 * Segment memberships by contact, every row (docs/segments.md, "Cost at ingest"). Ingest, the
 * time sweep, back-fills and merges read (and on a merge delete) a contact's rows whether it is
 * a member or not: the row also counts its transitions. The index of 0007 held members only, so
 * those statements walked the primary key (segment_id, contact_id) instead: the whole index on
 * PostgreSQL before 18, once per segment on 18 (the embedded store). This one serves both
 * kinds of reads, so the number of indexes written per membership change stays three.
 */
export const up = /* sql */ `
create index segment_members_by_contact on segment_members (contact_id);
drop index segment_members_contact;
`
