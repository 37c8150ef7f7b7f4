// The batch pipeline (pipeline/batch.ts through adapters/postgres/ingest.ts) against the per-event
// path it replaced (test-support/legacy-ingest.ts, kept verbatim): the same random event streams,
// cut into the same random batches, go through both into two workspaces of one database, and
// must leave identical contacts, identities, traits, scores, events, merges, conflicts,
// preferences, score history, webhook events and per-batch outcomes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Sql } from 'postgres'
import { SEMANTIC_EVENTS } from '@lodestone/protocol'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { legacyIngestEvents } from '../test-support/legacy-ingest.js'
import { ingestEvents } from '../adapters/postgres/ingest.js'
import { createRulesCache } from '../adapters/postgres/rules-cache.js'
import type { EnrichedEvent } from '../ports.js'
import type { WebhookEvent } from '../webhooks/types.js'

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString()
const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs)
const ANON = ['a0', 'a1', 'a2', 'a3', 'a4']
const USERS = ['u0', 'u1', 'u2']
const EMAILS = ['e0@x.io', 'e1@x.io', 'e2@x.io']
const URLS = ['https://s.io/pricing', 'https://s.io/demo', 'https://s.io/blog', 'https://s.io/jobs']

/** One event before its messageId and time are assigned. */
const eventArb = fc.oneof(
  fc.record({
    type: fc.constant('page' as const),
    anonymousId: pick(ANON),
    userId: fc.option(pick(USERS), { nil: undefined, freq: 4 }),
    url: pick(URLS),
  }),
  fc.record({
    type: fc.constant('track' as const),
    anonymousId: pick(ANON),
    userId: fc.option(pick(USERS), { nil: undefined, freq: 3 }),
    event: pick(['Demo Requested', 'Chat Started', 'Viewed', SEMANTIC_EVENTS.consentUpdated]),
    email: fc.option(pick(EMAILS), { nil: undefined, freq: 3 }),
  }),
  fc.record({
    type: fc.constant('identify' as const),
    anonymousId: fc.option(pick(ANON), { nil: undefined, freq: 4 }),
    userId: fc.option(pick(USERS), { nil: undefined }),
    email: fc.option(pick(EMAILS), { nil: undefined }),
    budget: fc.option(fc.constantFrom(500, 20_000), { nil: undefined }),
    plan: fc.option(pick(['free', 'pro']), { nil: undefined }),
  }),
  fc.record({
    type: fc.constant('alias' as const),
    previousId: pick([...ANON, ...USERS]),
    userId: pick(USERS),
  }),
  fc.record({
    type: fc.constant('track' as const),
    anonymousId: pick(ANON),
    event: fc.constant(SEMANTIC_EVENTS.subscriptionPreferencesUpdated),
    newsletter: fc.boolean(),
  }),
)

type Draft = typeof eventArb extends fc.Arbitrary<infer T> ? T : never

function enrich(d: Draft, messageId: string, minute: number, received: number): EnrichedEvent {
  const p = d as Record<string, unknown>
  const payload: Record<string, unknown> = { type: d.type, messageId, timestamp: at(minute) }
  for (const k of ['anonymousId', 'userId', 'previousId', 'event'])
    if (p[k] !== undefined) payload[k] = p[k]
  if (d.type === 'page') payload.context = { page: { url: d.url, referrer: 'https://g.co/' } }
  if (d.type === 'identify') {
    const traits: Record<string, unknown> = {}
    for (const k of ['email', 'budget', 'plan']) if (p[k] !== undefined) traits[k] = p[k]
    payload.traits = traits
  }
  if (d.type === 'track' && 'email' in d && d.email)
    payload.context = { traits: { email: d.email } }
  if (d.type === 'track' && d.event === SEMANTIC_EVENTS.consentUpdated)
    payload.properties = { categories: { analytics: minute % 2 === 0 } }
  if (d.type === 'track' && 'newsletter' in d)
    payload.properties = { topics: { newsletter: d.newsletter } }
  return {
    messageId,
    type: d.type,
    timestamp: at(minute),
    originalTimestamp: at(minute),
    sentAt: null,
    receivedAt: at(100 + received),
    userId: (p.userId as string | undefined) ?? null,
    anonymousId: (p.anonymousId as string | undefined) ?? null,
    event: (p.event as string | undefined) ?? null,
    name: null,
    payload: payload as never,
  }
}

/** A stream of events with times and some re-sent copies, cut into batches. */
const streamArb = fc
  .record({
    drafts: fc.array(fc.tuple(eventArb, fc.nat(40)), { minLength: 1, maxLength: 30 }),
    resend: fc.array(fc.nat(), { maxLength: 5 }),
    cuts: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }),
  })
  .map(({ drafts, resend, cuts }) => {
    const events = drafts.map(([d, minute], i) => enrich(d, `m${i}`, minute, i))
    for (const r of resend) events.push({ ...events[r % events.length]! })
    const batches: EnrichedEvent[][] = []
    let i = 0
    for (let c = 0; i < events.length; c++) {
      const size = cuts[c % cuts.length]!
      batches.push(events.slice(i, i + size))
      i += size
    }
    return batches
  })

describe.each(BACKENDS)('batch pipeline equals the per-event path on %s', (backend) => {
  let store: TestStore
  let sql: Sql
  beforeAll(async () => {
    store = await openTestStore(backend)
    sql = store.sql
  })
  afterAll(() => store.close())

  let runs = 0
  const workspace = async (name: string) => (await store.createWorkspace({ name })).id

  /** One path's run: a workspace, repeatable contact ids, captured webhooks and outcomes. */
  async function replay(
    ingest: typeof ingestEvents,
    batches: EnrichedEvent[][],
    prefix: string,
  ): Promise<{ workspaceId: string; webhooks: WebhookEvent[]; outcomes: unknown[] }> {
    const workspaceId = await workspace(prefix)
    let n = 0
    const webhooks: WebhookEvent[] = []
    const deps = {
      rules: createRulesCache(),
      enqueue: async (_tx: unknown, _ws: string, events: WebhookEvent[]) => {
        webhooks.push(...events)
      },
      newId: () => `${prefix}-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    }
    const outcomes: unknown[] = []
    for (const batch of batches) {
      const { alerts, ...rest } = await ingest(sql, workspaceId, batch, deps)
      // Alert ids come from one sequence shared by both runs: everything else must match.
      outcomes.push({ ...rest, alerts: alerts?.map(({ id: _id, ...a }) => a) })
    }
    return { workspaceId, webhooks, outcomes }
  }

  /** Everything the ingest path writes for a workspace, ids made comparable across prefixes. */
  async function dump(workspaceId: string, prefix: string) {
    const ws = workspaceId
    const contactIds = sql`select id from contacts where workspace_id = ${ws}`
    const tables = {
      contacts: await sql`select id, merged_into, first_seen, last_seen, traits, trait_times,
          first_touch, score_state, score_rules, score_fit, score_engagement, score_total, grade
        from contacts where workspace_id = ${ws} order by id`,
      identities: await sql`select kind, value, contact_id, linked_at from identities
        where workspace_id = ${ws} order by kind, value`,
      events: await sql`select message_id, contact_id, type, event, timestamp, received_at, payload
        from events where workspace_id = ${ws} order by message_id`,
      merges: await sql`select from_contact, into_contact, reason from merges
        where workspace_id = ${ws} order by from_contact`,
      conflicts: await sql`select contact_id, other_contact_id, kind, value, message_id
        from identity_conflicts where workspace_id = ${ws}
        order by message_id, kind, value, contact_id`,
      history: await sql`select contact_id, at, fit, engagement, total, grade from score_history
        where workspace_id = ${ws} order by contact_id, at, total`,
      subscriptions: await sql`select contact_id, topic, status, updated_at, message_id
        from subscriptions where workspace_id = ${ws} order by contact_id, topic`,
      subscriptionEvents: await sql`select contact_id, topic, status, at, message_id
        from subscription_events where workspace_id = ${ws} order by message_id, topic`,
      consents: await sql`select contact_id, category, granted, updated_at, message_id
        from consents where contact_id in (${contactIds}) order by contact_id, category`,
    }
    return normalise(tables, prefix)
  }

  const normalise = (v: unknown, prefix: string) =>
    JSON.parse(
      JSON.stringify(v)
        .replaceAll(prefix, 'ID')
        .replace(/"ws_[0-9a-f]+"/g, '"WS"'),
    )

  it('leaves the same state and outcomes for random streams and batch cuts', async () => {
    await fc.assert(
      fc.asyncProperty(streamArb, async (batches) => {
        const run = ++runs
        const oldPrefix = `a${String(run).padStart(7, '0')}`
        const newPrefix = `b${String(run).padStart(7, '0')}`
        const before = await replay(legacyIngestEvents, batches, oldPrefix)
        const after = await replay(ingestEvents, batches, newPrefix)
        expect(await dump(after.workspaceId, newPrefix)).toEqual(
          await dump(before.workspaceId, oldPrefix),
        )
        expect(normalise(after.outcomes, newPrefix)).toEqual(normalise(before.outcomes, oldPrefix))
        expect(normalise(after.webhooks, newPrefix)).toEqual(normalise(before.webhooks, oldPrefix))
      }),
      { numRuns: backend === 'pglite' ? 10 : 40 },
    )
  }, 600_000)

  it('the streams exercise merges, conflicts, late events and duplicates', async () => {
    // Guards the generator: the comparison above means little if these never happen.
    const samples = fc.sample(streamArb, { numRuns: 60, seed: 7 })
    let merges = 0
    let conflicts = 0
    for (const [i, batches] of samples.entries()) {
      const r = await replay(ingestEvents, batches, `c${String(i).padStart(7, '0')}`)
      const [m] =
        await sql`select count(*)::int as n from merges where workspace_id = ${r.workspaceId}`
      const [c] =
        await sql`select count(*)::int as n from identity_conflicts where workspace_id = ${r.workspaceId}`
      merges += m!.n as number
      conflicts += c!.n as number
    }
    expect(merges).toBeGreaterThan(0)
    expect(conflicts).toBeGreaterThan(0)
  }, 600_000)
})
