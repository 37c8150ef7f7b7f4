/**
 * Segment memberships by contact, every row (docs/segments.md, "Cost at ingest"). Ingest, the
 * time sweep, back-fills and merges read (and on a merge delete) a contact's rows whether it is
 * a member or not: the row also counts its transitions. The index of 0007 held members only, so
 * on PostgreSQL 15 those statements read the whole table (a sequential scan: about 0.1 s at
 * 300,000 membership rows for one batch, 0.2 ms with this index) and on PostgreSQL 18 (the
 * embedded store) walked the primary key (segment_id, contact_id) once per segment. This one
 * serves both kinds of reads, so the number of indexes written per membership change stays
 * three.
 */
export const up = /* sql */ `
create index segment_members_by_contact on segment_members (contact_id);
drop index segment_members_contact;
`
