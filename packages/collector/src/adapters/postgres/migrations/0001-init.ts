/** Workspaces, contacts, identities, events, merges and identity conflicts. */
export const up = /* sql */ `
create table workspaces (
  id text primary key,
  name text not null,
  write_key_hash text not null unique,
  secret_key_hash text not null unique,
  settings jsonb not null default '{}',
  created_at timestamptz not null default now()
);

create table contacts (
  id uuid primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  merged_into uuid,
  first_seen timestamptz not null,
  last_seen timestamptz not null,
  traits jsonb not null default '{}',
  trait_times jsonb not null default '{}',
  first_touch jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index contacts_workspace_last_seen on contacts (workspace_id, last_seen desc, id)
  where merged_into is null;
create index contacts_merged_into on contacts (merged_into) where merged_into is not null;

create table identities (
  workspace_id text not null references workspaces(id) on delete cascade,
  kind text not null,
  value text not null,
  contact_id uuid not null,
  linked_at timestamptz not null,
  primary key (workspace_id, kind, value)
);
create index identities_contact on identities (contact_id);
-- A contact holds at most one userId: the invariant behind "never merge two known users".
create unique index identities_one_user_id on identities (contact_id) where kind = 'userId';

create table events (
  workspace_id text not null references workspaces(id) on delete cascade,
  message_id text not null,
  seq bigserial not null,
  contact_id uuid,
  type text not null,
  event text,
  name text,
  user_id text,
  anonymous_id text,
  timestamp timestamptz not null,
  received_at timestamptz not null,
  payload jsonb not null,
  primary key (workspace_id, message_id)
);
create index events_contact_time on events (contact_id, timestamp desc, seq desc);

create table merges (
  workspace_id text not null references workspaces(id) on delete cascade,
  from_contact uuid not null,
  into_contact uuid not null,
  reason jsonb not null,
  merged_at timestamptz not null default now()
);
create index merges_into on merges (into_contact);
create index merges_from on merges (from_contact);

create table identity_conflicts (
  id bigserial primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  contact_id uuid not null,
  other_contact_id uuid not null,
  kind text not null,
  value text not null,
  message_id text not null,
  detected_at timestamptz not null default now()
);
create index identity_conflicts_contact on identity_conflicts (contact_id);
create index identity_conflicts_other on identity_conflicts (other_contact_id);
`
