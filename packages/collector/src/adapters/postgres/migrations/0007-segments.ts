/**
 * Time-aware scores, segments, static lists and accounts (docs/segments.md, docs/accounts.md).
 *
 * `score_key` is the decay-independent engagement key (packages/scoring/src/score-key.ts):
 * with `score_fit` it gives the score at any moment, and the index on (fit, key) orders totals
 * within each fit value. `due_at` is when time alone may next change the contact's grade or a
 * segment membership; the time sweep visits contacts whose `due_at` has passed.
 */
export const up = /* sql */ `
alter table contacts
  add column score_key double precision not null default 0,
  add column due_at timestamptz;
-- Existing scores: keyed from their stored engagement as of their last scoring (default
-- half-life), and due at once so the sweep rekeys them with the workspace's own rules.
update contacts set
  score_key = case when abs(score_engagement) < 1e-12 then 0
    else sign(score_engagement) * (log(2, abs(score_engagement)::numeric)::float8 + 64
      + (extract(epoch from coalesce(scored_at, now())) * 1000 - 1577836800000) / 2592000000.0) end,
  due_at = now()
where merged_into is null;
create index contacts_workspace_fit_key on contacts (workspace_id, score_fit, score_key desc, id desc)
  where merged_into is null;
create index contacts_due on contacts (due_at) where merged_into is null and due_at is not null;

create table segments (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  key text not null,
  name text not null,
  description text,
  conditions jsonb not null,
  browser boolean not null default false,
  version integer not null default 1,
  status text not null default 'building' check (status in ('building', 'ready')),
  backfill_after uuid,
  backfill_done integer not null default 0,
  backfill_total integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, key)
);

create table segment_members (
  segment_id text not null references segments(id) on delete cascade,
  contact_id uuid not null,
  workspace_id text not null references workspaces(id) on delete cascade,
  member boolean not null,
  -- Transitions so far: names the next Segment Entered / Exited event, so each fires once.
  seq integer not null default 0,
  changed_at timestamptz not null,
  primary key (segment_id, contact_id)
);
create index segment_members_contact on segment_members (contact_id) where member;
create index segment_members_list on segment_members (segment_id, contact_id) where member;

create table segment_daily_counts (
  segment_id text not null references segments(id) on delete cascade,
  day date not null,
  members integer not null,
  primary key (segment_id, day)
);

-- Per contact: recent times of events matching each segment's event-count conditions.
create table segment_contact_state (
  contact_id uuid primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  windows jsonb not null default '{}'
);

create table lists (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  name text not null,
  created_at timestamptz not null default now()
);
create table list_members (
  list_id text not null references lists(id) on delete cascade,
  contact_id uuid not null,
  workspace_id text not null references workspaces(id) on delete cascade,
  added_at timestamptz not null default now(),
  primary key (list_id, contact_id)
);
create index list_members_contact on list_members (contact_id);

create table accounts (
  id uuid primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  group_id text not null,
  merged_into uuid,
  traits jsonb not null default '{}',
  domain text,
  score_fit double precision not null default 0,
  score_key double precision not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index accounts_group on accounts (workspace_id, group_id);
create index accounts_fit_key on accounts (workspace_id, score_fit, score_key desc, id desc)
  where merged_into is null;

create table account_settings (
  workspace_id text primary key references workspaces(id) on delete cascade,
  match_domains boolean not null default false
);
create index accounts_domain on accounts (workspace_id, domain) where merged_into is null and domain is not null;

create table account_members (
  account_id uuid not null,
  contact_id uuid not null,
  workspace_id text not null references workspaces(id) on delete cascade,
  source text not null check (source in ('group', 'domain')),
  joined_at timestamptz not null,
  primary key (account_id, contact_id)
);
create index account_members_contact on account_members (contact_id);
`
