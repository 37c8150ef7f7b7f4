/**
 * No foreign key from `events` and `score_history` to `workspaces` (docs/scaling.md, "The
 * fence"). Ingest writes a row to each per stored event and per changed contact, and each key
 * ran a referential check per row: a `select … for key share` on the workspace row (6,251
 * checks for 5,000 events in the realistic load of docs/segments.md, about 2 µs of statement
 * time each on PostgreSQL 15, 2.5 µs per event, more with the trigger's own work). The check is
 * redundant there: every ingest transaction locks its workspace row `for key share` first and
 * holds it to the commit (the move fence, ingest.ts), so the workspace cannot go while the rows
 * are written. Where the cascade did the work: a workspace's rows leave a shard only by a move's
 * clean-up, which deletes from every table without such a key by its `workspace_id` first
 * (adapters/sharded/move.ts; shards/move.test.ts checks the source keeps no row).
 */
export const up = /* sql */ `
do $$
declare c record;
begin
  for c in
    select conrelid::regclass as t, conname from pg_constraint
    where contype = 'f' and confrelid = 'workspaces'::regclass
      and conrelid in ('events'::regclass, 'score_history'::regclass)
  loop
    execute format('alter table %s drop constraint %I', c.t, c.conname);
  end loop;
end $$;
`
