/** Scores on contacts, versioned rules per workspace, score history, grade-change outbox. */
export const up = /* sql */ `
alter table contacts
  add column score_state jsonb,
  add column score_rules text,
  add column score_fit double precision not null default 0,
  add column score_engagement double precision not null default 0,
  add column score_total double precision not null default 0,
  add column grade text,
  add column scored_at timestamptz;
create index contacts_workspace_score on contacts (workspace_id, score_total desc, id desc)
  where merged_into is null;

create table scoring_rules (
  workspace_id text not null references workspaces(id) on delete cascade,
  version integer not null,
  rules jsonb not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, version)
);

create table score_history (
  workspace_id text not null references workspaces(id) on delete cascade,
  contact_id uuid not null,
  at timestamptz not null,
  fit double precision not null,
  engagement double precision not null,
  total double precision not null,
  grade text not null
);
create index score_history_contact on score_history (contact_id, at);

create table rescore_jobs (
  workspace_id text primary key references workspaces(id) on delete cascade,
  rules_version integer not null,
  after_id uuid,
  done integer not null default 0,
  total integer not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
`
