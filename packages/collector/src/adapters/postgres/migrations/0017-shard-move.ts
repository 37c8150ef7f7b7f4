/**
 * Moving a workspace between shards (docs/scaling.md, "Moving a workspace"): the source shard's
 * workspace row names the shard it is being moved to while the move runs. Every ingest
 * transaction reads it first, with the row lock a foreign-key check takes anyway (`for key
 * share`), and stops when it is set: the fence that keeps the old shard from storing anything
 * once the copy has started.
 */
export const up = /* sql */ `
alter table workspaces add column moving_to text;
`
