import { createScorer } from '../packages/scoring/src/index.js'
import { describe, expect, inject, it } from 'vitest'
import type { ChildCollector } from './support/child-collector.js'
import { collectorPairs } from './support/collector-pair.js'
import { startUpstashBridge, type UpstashBridge } from './support/upstash-bridge.js'
import {
  PERSONS,
  RULES,
  personBatches,
  post,
  putRules,
  read,
  sortIds,
  type Event,
} from './support/person-race.js'

// Horizontal scale (issue 8): the collector is stateless. Two real `lodestone start` processes
// share one PostgreSQL database (and, in the second run, one Redis behind the Upstash REST
// stand-in, test/support/upstash-bridge.ts, since Upstash itself is a third-party cloud). The
// same visitors are sent to both at once; the result must be what one process would make.

const pairs = collectorPairs()

describe.each([
  { label: 'PostgreSQL only', redis: false },
  { label: 'PostgreSQL + one Redis (Upstash REST stand-in)', redis: true },
])('two collector processes on one database: $label', ({ redis }) => {
  it('racing on the same visitors, they make exactly one contact per person', async () => {
    let env: Record<string, string> = {}
    let bridge: UpstashBridge | null = null
    if (redis) {
      bridge = await startUpstashBridge({ redisPort: inject('redisPort') })
      pairs.cleanup(() => bridge!.stop())
      env = { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: bridge.token }
    }
    const p = await pairs.start(env)
    await putRules(p.a, p.secretKey, RULES)
    const run = redis ? 'r' : 'p'
    const people = Array.from({ length: PERSONS }, (_, i) => personBatches(run, i))

    const statuses: number[] = []
    for (const phase of ['phase1', 'phase2'] as const) {
      const answers = await Promise.all(
        people.flatMap((person) => [
          post(p.a, p.writeKey, person[phase][0]),
          post(p.b, p.writeKey, person[phase][1]),
        ]),
      )
      statuses.push(...answers.map((r) => r.status))
    }
    expect(statuses).toEqual(statuses.map(() => 200)) // no 5xx, no 4xx
    // With Redis configured, both processes really used it (rate limits, dedupe window, feed).
    if (bridge) expect(bridge.commands).toBeGreaterThan(0)

    // Read API, from both processes: one contact per person, the same answer from either.
    const lists = await Promise.all(
      [p.a, p.b].map((c) =>
        read<{ contacts: unknown[]; next: string | null }>(
          c,
          p.secretKey,
          '/v1/contacts?sort=score&limit=1000',
        ),
      ),
    )
    for (const list of lists) {
      expect(list.contacts).toHaveLength(PERSONS)
      expect(list.next).toBeNull()
    }
    expect(lists[0]!.contacts).toEqual(lists[1]!.contacts)

    const scorer = createScorer(RULES)
    const seenContacts = new Set<string>()
    for (const person of people) {
      const viaA = await read(p.a, p.secretKey, `/v1/contacts/lookup?anonymousId=${person.A}`)
      const viaB = await read(p.b, p.secretKey, `/v1/contacts/${viaA.id}`)
      // Both processes give the same answer, field for field.
      expect(viaB).toEqual(viaA)
      seenContacts.add(viaA.id)
      expect(sortIds(viaA.identities)).toEqual(sortIds(person.identities))
      for (const x of person.identities) {
        const other = await read(p.b, p.secretKey, `/v1/contacts/${x.kind}:${x.value}`)
        expect(other.id).toBe(viaA.id)
      }
      expect(viaA.traits.title).toBe('VP Sales')
      // The score equals a single-process replay of the same events with the same rules.
      const expected = scorer.score(scorer.replay(person.events), viaA.traits, Date.now())
      expect(viaA.score).toMatchObject({
        fit: expected.fit,
        engagement: expected.engagement,
        total: expected.total,
        grade: expected.grade,
      })
      expect(expected.total).toBe(20 + 10 + 30 + 30) // VP, pricing once a day, two demos
    }
    expect(seenContacts.size).toBe(PERSONS)

    // SQL: every identity once, on its person's contact; every event stored exactly once, on it.
    const [counts] = await p.sql`select
      (select count(*)::int from contacts where workspace_id = ${p.workspaceId}
        and merged_into is null) as live,
      (select count(*)::int from contacts where workspace_id = ${p.workspaceId}
        and merged_into is not null) as merged,
      (select count(*)::int from identities where workspace_id = ${p.workspaceId}) as identities,
      (select count(*)::int from events where workspace_id = ${p.workspaceId}) as events,
      (select count(distinct message_id)::int from events
        where workspace_id = ${p.workspaceId}) as messages`
    const perPerson = people[0]!
    // A, B and C were separate contacts after phase 1, so phase 2 really merged (D may or may not
    // have had a contact of its own first, depending on which process won).
    expect(counts!.merged).toBeGreaterThanOrEqual(2 * PERSONS)
    expect({ ...counts, merged: undefined }).toEqual({
      merged: undefined,
      live: PERSONS,
      identities: PERSONS * perPerson.identities.length,
      events: PERSONS * perPerson.events.length,
      messages: PERSONS * perPerson.events.length,
    })
    const owners = await p.sql`select e.message_id, e.contact_id, i.contact_id as owner
      from events e join identities i on i.workspace_id = e.workspace_id
        and i.kind = 'anonymousId' and i.value = e.anonymous_id
      where e.workspace_id = ${p.workspaceId} and e.contact_id <> i.contact_id`
    expect(owners).toEqual([])
    await pairs.stop(p)
  })
})

describe('scoring rules across processes', () => {
  it('a rules change on process 1 scores the next event on process 2', async () => {
    const p = await pairs.start()
    const demoRules = (points: number) => ({
      ...RULES,
      rules: RULES.rules.map((r) => (r.id === 'demo' ? { ...r, points } : r)),
    })
    const demo = (anonymousId: string): Event => ({
      type: 'track',
      event: 'Demo Requested',
      anonymousId,
      timestamp: new Date().toISOString(),
      messageId: `rules-${anonymousId}`,
    })
    const engagement = async (c: ChildCollector, anonymousId: string) =>
      (await read(c, p.secretKey, `/v1/contacts/lookup?anonymousId=${anonymousId}`)).score
        .engagement

    expect((await putRules(p.a, p.secretKey, demoRules(30))).version).toBe(1)
    // Process 2 scores (and compiles, and caches) version 1 first.
    expect((await post(p.b, p.writeKey, [demo('warm-up')])).status).toBe(200)
    expect(await engagement(p.b, 'warm-up')).toBe(30)

    expect((await putRules(p.a, p.secretKey, demoRules(7))).version).toBe(2)
    // No polling: the rules version is read in every ingest transaction, so the bound is zero.
    expect((await post(p.b, p.writeKey, [demo('after-change')])).status).toBe(200)
    expect(await engagement(p.b, 'after-change')).toBe(7)
    expect(await engagement(p.a, 'after-change')).toBe(7)
    // And the rescore the PUT ran on process 1 is what process 2 reads for the older contact.
    expect(await engagement(p.b, 'warm-up')).toBe(7)
    await pairs.stop(p)
  })
})
