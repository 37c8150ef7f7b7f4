/**
 * The stale-defaults sweep's marker (docs/accounts.md, "When the rules change"): per workspace
 * on the built-in rules, the defaults fingerprint its last sweep finished for. A collector
 * process or Workers cron run reads this instead of scanning contacts, so the sweep runs once per
 * defaults change; while a process sweeps a workspace it holds the workspace's row locked (the
 * lease), and another process moves on to the next workspace.
 */
export const up = /* sql */ `
create table defaults_sweeps (
  workspace_id text primary key references workspaces(id) on delete cascade,
  fingerprint text,
  finished_at timestamptz
);
`
