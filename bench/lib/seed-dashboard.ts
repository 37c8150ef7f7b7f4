import { elapsedHalfLives } from '../../packages/scoring/src/score-key.js'
import { loadPostgres } from './collector-deps.js'

const FIRST = ['Ana', 'Wei', 'Li', 'Maria', 'John', 'Fatima', 'Kenji', 'Olga', 'Pierre', 'Zhang']
const LAST = ['Lopez', 'Chen', 'Wang', 'Smith', 'Garcia', 'Sato', 'Ivanova', 'Martin', 'Liu']
const SOURCES = ['google', 'newsletter', 'linkedin', 'baidu', 'wechat']
const DAY_MS = 86_400_000
/** The default rules' engagement half-life (packages/scoring/src/default-rules.ts). */
const HALF_LIFE_MS = 30 * DAY_MS

/** A segment id as the store makes them (`seg_` and hex), so its page is found. */
export const BENCH_SEGMENT = 'seg_be0c000000000001'
export const BENCH_LIST = 'lst_bench'
/** Accounts: one per seeded company (`Company <k>`, k < ACCOUNTS). */
export const ACCOUNTS = 5000

/**
 * A workspace as the dashboard reads it, straight through set-based SQL (generate_series, one
 * statement per table and chunk; no row leaves the server): `contacts` known contacts, each
 * with an anonymousId and most with an e-mail identity, traits a marketer would filter on
 * (company, title, a name for one in ten, lifetime value, churn risk, open tickets, some
 * invalid e-mails for the quality report), first touch for half, scores spread like a real
 * workspace (most cold, a few hot; fit, engagement key and grade consistent with the default
 * rules as of now), a page view and a track event each plus an order for one in fifty,
 * newsletter subscriptions (2 %), one ready segment (the hot grade), one static list and 5,000
 * accounts with their members.
 */
export async function seedDashboard(
  databaseUrl: string,
  workspaceId: string,
  range: { from: number; to: number },
  log: (m: string) => void,
) {
  const sql = loadPostgres()(databaseUrl, { max: 1, onnotice: () => {} })
  const CHUNK = 100_000
  const started = Date.now()
  const tau = elapsedHalfLives(Date.now(), HALF_LIFE_MS)
  try {
    await sql`set synchronous_commit = off`
    if (range.from === 1) {
      await sql`insert into lists (id, workspace_id, name)
        values (${BENCH_LIST}, ${workspaceId}, 'Bench list')`
      await sql`insert into accounts (id, workspace_id, group_id, traits, domain)
        select md5('acct' || k)::uuid, ${workspaceId}, 'company-' || k,
          jsonb_build_object('name', 'Company ' || k), 'company' || k || '.example'
        from generate_series(0, ${ACCOUNTS - 1}) k`
      await sql`insert into segments (id, workspace_id, key, name, conditions, status)
        values (${BENCH_SEGMENT}, ${workspaceId}, 'bench-hot', 'Hot leads',
          ${sql.json({ grade: 'hot' })}, 'ready')`
    }
    for (let from = range.from; from <= range.to; from += CHUNK) {
      const to = Math.min(range.to, from + CHUNK - 1)
      await sql.begin(async (tx) => {
        await tx`insert into contacts (id, workspace_id, first_seen, last_seen, traits, trait_times,
            first_touch, score_fit, score_engagement, score_total, grade, score_key, scored_at)
          select md5('seed' || i)::uuid, ${workspaceId}, fs, greatest(fs, now() - (i % 720) * interval '1 hour'),
            jsonb_strip_nulls(jsonb_build_object(
              'email', case when i % 200 = 0 then null
                when i % 333 = 0 then 'seed' || i || '@company' || (i % 5000)
                else 'seed' || i || '@company' || (i % 5000) || '.example' end,
              'company', case when i % 33 <> 0 then 'Company ' || (i % 5000) end,
              'title', (array['VP Marketing','CTO','Student','Founder'])[1 + i % 4],
              'name', case when i % 10 = 3 then (${FIRST}::text[])[1 + (i / 10) % ${FIRST.length}]
                || ' ' || (${LAST}::text[])[1 + (i / 100) % ${LAST.length}] end,
              'lifetimeValue', case when i % 5 = 0 then ((i * 37) % 5000)::numeric end,
              'churnRisk', case when i % 5 = 1 then ((i * 13) % 100) / 100.0 end,
              'ticketsOpen', case when i % 20 = 2 then 1 + i % 3 end)),
            '{}',
            case when i % 2 = 0 then jsonb_build_object('campaign', jsonb_build_object(
              'source', (${SOURCES}::text[])[1 + (i / 2) % ${SOURCES.length}],
              'name', 'campaign-' || (i % 40)), 'referrerDomain', 'www.google.com') end,
            fit, e, round((fit + e)::numeric, 2)::float8,
            case when fit + e >= 50 then 'hot' when fit + e >= 20 then 'warm' else 'cold' end,
            case when e < 1e-12 then 0 else ln(e) / ln(2) + 64 + ${tau}::float8 end, now()
          from generate_series(${from}::int, ${to}::int) i,
            lateral (select now() - (i % 90) * interval '1 day' - interval '1 hour' as fs,
              ((abs(hashtext(i::text)) % 41) - 10)::float8 as fit,
              round((power((abs(hashtext(i || 'e')) % 1000) / 1000.0, 3) * 80)::numeric, 2)::float8 as e) s`
        await tx`insert into identities (workspace_id, kind, value, contact_id, linked_at)
          select ${workspaceId}, k.kind, case k.kind when 'anonymousId' then 'seed-anon-' || i
              else 'seed' || i || '@company' || (i % 5000) || '.example' end,
            md5('seed' || i)::uuid, now() - interval '30 days'
          from generate_series(${from}::int, ${to}::int) i, (values ('anonymousId'), ('email')) k(kind)
          where k.kind = 'anonymousId' or (i % 200 <> 0 and i % 333 <> 0)`
        await tx`insert into events (workspace_id, message_id, contact_id, type, event, name,
            anonymous_id, timestamp, received_at, payload)
          select ${workspaceId}, 'seed-' || i || '-' || j, md5('seed' || i)::uuid,
            case when j = 1 then 'page' else 'track' end,
            case j when 2 then 'Page Engaged' when 3 then 'Order Completed' end,
            case when j = 1 then 'Pricing' end,
            'seed-anon-' || i, now() - ((i + j * 7) % 720) * interval '1 hour', now(),
            case j when 1 then jsonb_build_object('type', 'page', 'name', 'Pricing',
                'properties', jsonb_build_object('path', '/pricing', 'url', 'https://www.acme.example/pricing'),
                'context', jsonb_build_object('page', jsonb_build_object('path', '/pricing')))
              when 2 then jsonb_build_object('type', 'track', 'event', 'Page Engaged',
                'properties', jsonb_build_object('activeMs', 32000))
              else jsonb_build_object('type', 'track', 'event', 'Order Completed',
                'properties', jsonb_build_object('orderId', 'o-' || i, 'revenue', 20 + i % 300, 'currency', 'USD'))
            end
          from generate_series(${from}::int, ${to}::int) i, generate_series(1, 3) j
          where j < 3 or i % 50 = 0`
        await tx`insert into subscriptions (workspace_id, contact_id, topic, status, updated_at, source, message_id)
          select ${workspaceId}, md5('seed' || i)::uuid, 'newsletter', 'subscribed', now(), 'form', 'seed-sub-' || i
          from generate_series(${from}::int, ${to}::int) i where abs(hashtext(i || 's')) % 50 = 0`
        await tx`insert into account_members (account_id, contact_id, workspace_id, source, joined_at)
          select md5('acct' || (i % ${ACCOUNTS}))::uuid, md5('seed' || i)::uuid, ${workspaceId}, 'group', now()
          from generate_series(${from}::int, ${to}::int) i where i % 33 <> 0`
        await tx`insert into list_members (list_id, contact_id, workspace_id)
          select ${BENCH_LIST}, md5('seed' || i)::uuid, ${workspaceId}
          from generate_series(${from}::int, ${to}::int) i where i % 97 = 0`
      })
      log(
        `seed: ${to.toLocaleString('en')} contacts (${Math.round((Date.now() - started) / 1000)} s)`,
      )
    }
    await sql`insert into segment_members (segment_id, contact_id, workspace_id, member, seq, changed_at)
      select ${BENCH_SEGMENT}, id, ${workspaceId}, true, 1, now() from contacts
      where workspace_id = ${workspaceId} and grade = 'hot' on conflict do nothing`
    await sql.unsafe(
      'vacuum analyze contacts, identities, events, subscriptions, account_members, segment_members, list_members, accounts',
    )
  } finally {
    await sql.end({ timeout: 5 })
  }
  const seconds = Math.round((Date.now() - started) / 100) / 10
  log(`seed: done in ${seconds} s`)
  return { seconds }
}
