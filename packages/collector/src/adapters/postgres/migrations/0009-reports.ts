/**
 * Reports and data hygiene (docs/lifecycle.md): ad cost per campaign and day, the quality-scan
 * schedule and its history, workspace-wide alerts (quality scans: `contact_id` null) with
 * acknowledgement, and chat formats for webhook endpoints (Slack, Feishu/Lark, DingTalk, WeCom).
 */
export const up = /* sql */ `
create table ad_costs (
  workspace_id text not null references workspaces(id) on delete cascade,
  campaign text not null,
  day date not null,
  cost double precision not null default 0,
  currency text,
  impressions bigint not null default 0,
  clicks bigint not null default 0,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, campaign, day)
);

create table quality_schedules (
  workspace_id text primary key references workspaces(id) on delete cascade,
  every_days integer not null default 14,
  thresholds jsonb not null default '{}',
  enabled boolean not null default true,
  next_run_at timestamptz not null,
  updated_at timestamptz not null default now()
);

create table quality_scans (
  id bigserial primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  at timestamptz not null,
  trigger text not null,
  measures jsonb not null,
  worsened jsonb not null default '[]'
);
create index quality_scans_workspace on quality_scans (workspace_id, at desc);

alter table contact_alerts alter column contact_id drop not null;
alter table contact_alerts add column acknowledged_at timestamptz;
create index contact_alerts_workspace on contact_alerts (workspace_id, id desc);

alter table webhooks add column format text not null default 'lodestone';

create index events_workspace_deals on events (workspace_id, event, timestamp)
  where event in ('Deal Won', 'Deal Lost');
`
