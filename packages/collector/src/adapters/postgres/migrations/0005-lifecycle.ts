/**
 * Customer lifecycle: per-workspace settings (reason lists, alert rules, computed-trait
 * configuration), per-contact alert state (which rules hold, so each crossing fires once)
 * and the alerts fired. Contact references are deferred: the ingest transaction writes them
 * before it saves a contact it has just created.
 */
export const up = /* sql */ `
create table lifecycle_settings (
  workspace_id text primary key references workspaces(id) on delete cascade,
  reasons jsonb,
  alert_rules jsonb,
  traits_config jsonb,
  updated_at timestamptz not null default now()
);

create table contact_alert_state (
  contact_id uuid primary key references contacts(id) on delete cascade deferrable initially deferred,
  workspace_id text not null references workspaces(id) on delete cascade,
  state jsonb not null default '{}',
  updated_at timestamptz not null default now()
);

create table contact_alerts (
  id bigserial primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  contact_id uuid not null references contacts(id) on delete cascade deferrable initially deferred,
  rule_id text not null,
  kind text not null,
  name text,
  value jsonb not null,
  message text not null,
  at timestamptz not null
);
create index contact_alerts_contact on contact_alerts (contact_id, id desc);

create index events_lifecycle on events (contact_id, timestamp)
  where event in ('Deal Won', 'Deal Lost', 'Order Completed', 'Ticket Created', 'Ticket Resolved',
    'Survey Responded');
create index events_workspace_lifecycle on events (workspace_id, event, timestamp)
  where event in ('Survey Responded', 'Order Completed');
`
