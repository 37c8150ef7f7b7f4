/**
 * Whole-workspace figures (overview, campaigns, quality, KPIs) stored for every collector
 * process (dashboard/snapshot-port.ts): computed by one process at a time (the lease), read by
 * all, so a restarted or second collector shows them at once (docs/dashboard.md, "Speed at 1M
 * contacts"). `key` is the workspace, or the workspace and a page's form as JSON.
 */
export const up = /* sql */ `
create table dashboard_snapshots (
  kind text not null,
  key text not null,
  workspace_id text not null references workspaces(id) on delete cascade,
  data jsonb,
  computed_at timestamptz,
  took_ms integer,
  lease_holder text,
  lease_until timestamptz,
  primary key (kind, key)
);
create index dashboard_snapshots_workspace on dashboard_snapshots (workspace_id);
`
