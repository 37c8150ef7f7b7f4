/**
 * Indexes the contacts page's filters walk at 1M contacts (docs/dashboard.md, "Speed at 1M
 * contacts"): the computed lifecycle traits (lifetime value, churn risk, open tickets, as
 * numbers) and the first touch's source and campaign, each partial so it holds only the
 * contacts that have the value. The expressions are exactly those of
 * adapters/postgres/dashboard/contacts.ts, which is what lets PostgreSQL use them.
 */
export const up = /* sql */ `
create index contacts_lifetime_value on contacts (workspace_id,
  (case when jsonb_typeof(traits -> 'lifetimeValue') = 'number'
    then (traits ->> 'lifetimeValue')::float8 end))
  where merged_into is null and jsonb_typeof(traits -> 'lifetimeValue') = 'number';
create index contacts_churn_risk on contacts (workspace_id,
  (case when jsonb_typeof(traits -> 'churnRisk') = 'number'
    then (traits ->> 'churnRisk')::float8 end))
  where merged_into is null and jsonb_typeof(traits -> 'churnRisk') = 'number';
create index contacts_tickets_open on contacts (workspace_id,
  (case when jsonb_typeof(traits -> 'ticketsOpen') = 'number'
    then (traits ->> 'ticketsOpen')::float8 end))
  where merged_into is null and jsonb_typeof(traits -> 'ticketsOpen') = 'number';
create index contacts_first_touch_source on contacts (workspace_id,
  lower(coalesce(first_touch #>> '{campaign,source}', first_touch ->> 'referrerDomain')))
  where merged_into is null and first_touch is not null;
create index contacts_first_touch_campaign on contacts (workspace_id,
  lower(first_touch #>> '{campaign,name}'))
  where merged_into is null and first_touch is not null;
`
