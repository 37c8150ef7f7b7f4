/**
 * Teams (docs/team.md): users with roles, single-use invite and reset links, server-side
 * sessions, scoped API keys, and an append-only audit trail. Every secret is stored hashed.
 */
export const up = /* sql */ `
create table users (
  id uuid primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  email text not null,
  role text not null check (role in ('owner', 'admin', 'marketer', 'viewer')),
  -- scrypt$N$r$p$salt$hash (docs/team.md); null until the invite is accepted
  password_hash text,
  oidc_subject text,
  disabled_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index users_email on users (workspace_id, lower(email));
create index users_by_email on users (lower(email));

create table user_tokens (
  token_hash text primary key,
  user_id uuid not null references users(id) on delete cascade,
  purpose text not null check (purpose in ('invite', 'reset')),
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index user_tokens_user on user_tokens (user_id);

create table sessions (
  id uuid primary key,
  token_hash text not null unique,
  user_id uuid not null references users(id) on delete cascade,
  workspace_id text not null references workspaces(id) on delete cascade,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  user_agent text,
  ip text
);
create index sessions_user on sessions (user_id) where revoked_at is null;

create table api_keys (
  id uuid primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  name text not null,
  prefix text not null,
  key_hash text not null unique,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  created_by text
);
create index api_keys_workspace on api_keys (workspace_id, created_at);

-- workspace_id null: a failed sign-in for an e-mail no workspace knows (kept, not shown per workspace)
create table audit_entries (
  id bigserial primary key,
  workspace_id text references workspaces(id) on delete cascade,
  at timestamptz not null default now(),
  actor_kind text not null,
  actor_id text,
  actor_label text,
  ip text,
  action text not null,
  target text,
  before jsonb,
  after jsonb,
  detail jsonb
);
create index audit_entries_workspace on audit_entries (workspace_id, id desc);

-- Append-only: no statement edits or removes an entry (a whole workspace may still be dropped).
create function audit_entries_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and old.workspace_id is not null and not exists (select 1 from workspaces where id = old.workspace_id) then
    return old;
  end if;
  raise exception 'audit entries are append-only' using errcode = '42501';
end $$;
create trigger audit_entries_append_only before update or delete on audit_entries
  for each row execute function audit_entries_append_only();
`
