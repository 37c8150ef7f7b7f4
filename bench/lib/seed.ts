import { loadPostgres } from './collector-deps.js'

/**
 * Puts `contacts` known visitors into a workspace straight through SQL (much faster than the
 * API): each with an anonymousId and an email identity, traits, and `eventsEach` page and track
 * events spread over 30 days, in chunks so no one statement holds everything.
 */
export async function seedContacts(
  databaseUrl: string,
  workspaceId: string,
  contacts: number,
  eventsEach: number,
  log: (m: string) => void,
) {
  const postgres = loadPostgres()
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  const CHUNK = 100_000
  const started = Date.now()
  try {
    for (let from = 1; from <= contacts; from += CHUNK) {
      const to = Math.min(contacts, from + CHUNK - 1)
      await sql.begin(async (tx) => {
        await tx`insert into contacts (id, workspace_id, first_seen, last_seen, traits, trait_times)
          select md5('seed' || i)::uuid, ${workspaceId}, now() - interval '30 days',
            now() - (i % 720) * interval '1 hour',
            jsonb_build_object('email', 'seed' || i || '@company' || (i % 5000) || '.example',
              'company', 'Company ' || (i % 5000), 'title', (array['VP Marketing','CTO','Student','Founder'])[1 + i % 4]),
            '{}'
          from generate_series(${from}::int, ${to}::int) i`
        await tx`insert into identities (workspace_id, kind, value, contact_id, linked_at)
          select ${workspaceId}, k.kind, case k.kind when 'anonymousId' then 'seed-anon-' || i
              else 'seed' || i || '@company' || (i % 5000) || '.example' end,
            md5('seed' || i)::uuid, now() - interval '30 days'
          from generate_series(${from}::int, ${to}::int) i, (values ('anonymousId'), ('email')) k(kind)`
        if (eventsEach > 0) {
          await tx`insert into events (workspace_id, message_id, contact_id, type, event, name,
              anonymous_id, timestamp, received_at, payload)
            select ${workspaceId}, 'seed-' || i || '-' || j, md5('seed' || i)::uuid,
              case when j % 3 = 0 then 'track' else 'page' end,
              case when j % 3 = 0 then 'Page Engaged' end,
              case when j % 3 = 0 then null else 'Pricing' end,
              'seed-anon-' || i, now() - ((i + j * 7) % 720) * interval '1 hour', now(),
              case when j % 3 = 0
                then jsonb_build_object('type', 'track', 'event', 'Page Engaged',
                  'properties', jsonb_build_object('activeMs', 30000 + j * 1000))
                else jsonb_build_object('type', 'page', 'name', 'Pricing',
                  'properties', jsonb_build_object('path', '/pricing', 'url', 'https://www.acme.example/pricing'),
                  'context', jsonb_build_object('page', jsonb_build_object('path', '/pricing')))
              end
            from generate_series(${from}::int, ${to}::int) i, generate_series(1, ${eventsEach}::int) j`
        }
      })
      log(
        `seed: ${to.toLocaleString('en')} contacts (${Math.round((Date.now() - started) / 1000)} s)`,
      )
    }
    await sql.unsafe('vacuum analyze contacts, identities, events')
  } finally {
    await sql.end({ timeout: 5 })
  }
  return { seconds: Math.round((Date.now() - started) / 100) / 10 }
}
