/**
 * Dashboard settings per workspace (time zone; the public write key, shown on the Setup page:
 * write keys ship in every page that loads the SDK, so unlike secret keys they may be kept),
 * saved contact views, and the text of each rules version as the person saved it (the rules
 * themselves are jsonb, which reorders keys).
 */
export const up = /* sql */ `
create table dashboard_settings (
  workspace_id text primary key references workspaces(id) on delete cascade,
  time_zone text not null default 'UTC',
  write_key text,
  updated_at timestamptz not null default now()
);

create table dashboard_views (
  id bigserial primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  name text not null,
  query text not null,
  created_at timestamptz not null default now(),
  unique (workspace_id, name)
);

create table scoring_rules_source (
  workspace_id text not null references workspaces(id) on delete cascade,
  version integer not null,
  source text not null,
  primary key (workspace_id, version)
);
`
