/** Subscription state per topic with its audit trail, and consent per category. */
export const up = /* sql */ `
create table subscriptions (
  workspace_id text not null references workspaces(id) on delete cascade,
  contact_id uuid not null,
  topic text not null,
  status text not null check (status in ('subscribed', 'unsubscribed')),
  updated_at timestamptz not null,
  source text,
  message_id text not null,
  primary key (contact_id, topic)
);
create index subscriptions_topic on subscriptions (workspace_id, topic, status);

create table subscription_events (
  id bigserial primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  contact_id uuid not null,
  topic text not null,
  status text not null,
  at timestamptz not null,
  source text,
  page text,
  form text,
  ip text,
  message_id text not null
);
create index subscription_events_contact on subscription_events (contact_id, at);

create table consents (
  workspace_id text not null references workspaces(id) on delete cascade,
  contact_id uuid not null,
  category text not null,
  granted boolean not null,
  updated_at timestamptz not null,
  message_id text not null,
  primary key (contact_id, category)
);
`
