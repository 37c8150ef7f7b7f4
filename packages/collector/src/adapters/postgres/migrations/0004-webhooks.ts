/** Webhook endpoints and a durable delivery outbox (written in the same transaction as the change). */
export const up = /* sql */ `
create table webhooks (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  url text not null,
  secret text not null,
  events text[] not null,
  active boolean not null default true,
  created_at timestamptz not null default now()
);
create index webhooks_workspace on webhooks (workspace_id) where active;

create table webhook_deliveries (
  id bigserial primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  webhook_id text not null references webhooks(id) on delete cascade,
  event_type text not null,
  contact_id uuid,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_status integer,
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_hook on webhook_deliveries (webhook_id, id desc);
`
