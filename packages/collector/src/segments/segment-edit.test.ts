import { describe, expect, it } from 'vitest'
import type { LiveEntry } from '../live/feed.js'
import { createTestApp } from '../test-support/app.js'
import { BACKENDS, closingStores } from '../test-support/stores.js'

// Editing a segment (docs/segments.md, "Creating and editing: back-fill"): only new conditions
// change who is a member. A rename, a new description or the public switch keeps the version,
// the members and their transition counts, and fires no Segment Entered/Exited (events, live
// stream, webhooks); new conditions make a new version that is back-filled again.

const stores = closingStores()

type Seg = {
  id: string
  key: string
  name: string
  description: string | null
  browser: boolean
  version: number
  status: string
  progress: { done: number; total: number }
  members: number
}

describe.each(BACKENDS)('editing a segment (%s)', (backend) => {
  it('a rename or public switch keeps members and fires nothing; new conditions back-fill', async () => {
    const store = await stores.open(backend)
    // Webhooks to loopback are allowed; no worker runs, so deliveries stay in the outbox.
    const t = await createTestApp(store, undefined, { webhooks: { allowPrivate: true } })
    const live: LiveEntry[] = []
    t.live.subscribe(t.ws.id, (e) => live.push(e))
    const json = async <T>(res: Response | Promise<Response>, status = 200): Promise<T> => {
      const r = await res
      expect(r.status).toBe(status)
      return (await r.json()) as T
    }
    const secret = (method: string, path: string, body: unknown) =>
      t.app.request(path, {
        method,
        headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const identify = (i: number, plan: string, n: string) => ({
      type: 'identify',
      anonymousId: `a${i}`,
      messageId: `m${i}-${n}`,
      traits: { plan, region: i % 2 ? 'EMEA' : 'APAC' },
    })
    await json(
      secret('POST', '/v1/webhooks', {
        url: 'http://127.0.0.1:9/hook',
        events: ['segment.entered', 'segment.exited'],
      }),
      201,
    )
    await json(
      t.post('/v1/batch', {
        batch: [0, 1, 2, 3, 4, 5].map((i) => identify(i, i < 3 ? 'pro' : 'free', 'a')),
      }),
    )

    const made = await json<Seg>(
      secret('POST', '/v1/segments', {
        name: 'Pro plan',
        key: 'pro-plan',
        conditions: { traits: { plan: 'pro', region: { exists: true } } },
      }),
      201,
    )
    while ((await t.segments.backfillStep(new Date())) !== null);
    // Once ready, an event that changes membership fires Entered: the baseline this test keeps.
    await json(t.post('/v1/batch', { batch: [identify(3, 'pro', 'b')] }))

    const members = async () =>
      (
        await store.sql`select contact_id, member, seq, changed_at from segment_members
        where segment_id = ${made.id} order by contact_id`
      ).map((r) => ({ ...r }))
    const transitions = async () =>
      Number(
        (
          await store.sql`select count(*)::int as n from events where workspace_id = ${t.ws.id}
            and event in ('Segment Entered', 'Segment Exited')`
        )[0]!.n,
      )
    const outbox = async () =>
      Number(
        (
          await store.sql`select count(*)::int as n from webhook_deliveries
            where workspace_id = ${t.ws.id} and event_type like 'segment.%'`
        )[0]!.n,
      )
    const liveSegment = () => live.filter((e) => e.kind === 'segment').length
    const before = {
      members: await members(),
      transitions: await transitions(),
      outbox: await outbox(),
      live: liveSegment(),
    }
    expect(before.members.filter((m) => m.member)).toHaveLength(4)
    expect(before.transitions).toBe(1)
    expect(before.live).toBe(1)
    expect(before.outbox).toBe(1)

    // Rename, describe and make public; the same conditions with their keys in another order.
    const renamed = await json<Seg>(
      secret('PUT', `/v1/segments/${made.id}`, {
        name: 'Paying: pro plan',
        description: 'Shown the pro banner',
        browser: true,
        conditions: { traits: { region: { exists: true }, plan: 'pro' } },
      }),
    )
    expect(renamed).toMatchObject({
      name: 'Paying: pro plan',
      description: 'Shown the pro banner',
      browser: true,
      version: 1,
      status: 'ready',
      members: 4,
    })
    // Public at once: a member's page gets the key without waiting for anything.
    expect(await t.segments.publicSegments(t.ws.id, { anonymousId: 'a0' })).toEqual(['pro-plan'])
    expect(await t.segments.backfillStep(new Date(), made.id)).toBeNull() // nothing to back-fill
    // Events after the rename carry the new name.
    await json(t.post('/v1/batch', { batch: [identify(4, 'pro', 'c')] }))
    const entered = await store.sql`select payload from events where workspace_id = ${t.ws.id}
      and event = 'Segment Entered' order by seq desc limit 1`
    expect(entered[0]!.payload.properties).toMatchObject({
      segmentId: made.id,
      segmentName: 'Paying: pro plan',
    })
    const afterRename = await members()
    // The rows from before are untouched (no transition counted, no change time moved); the
    // one new row is a4 entering after the rename.
    const known = new Set(before.members.map((m) => m.contact_id as string))
    expect(afterRename.filter((m) => known.has(m.contact_id))).toEqual(before.members)
    expect(afterRename.filter((m) => !known.has(m.contact_id))).toMatchObject([
      { member: true, seq: 1 },
    ])
    expect(await transitions()).toBe(before.transitions + 1)
    expect(await outbox()).toBe(before.outbox + 1)
    expect(liveSegment()).toBe(before.live + 1)

    // The public switch off, as the dashboard saves it: still the same version and members.
    const hidden = await json<Seg>(
      secret('PUT', `/v1/segments/${made.id}`, {
        name: 'Paying: pro plan',
        browser: false,
        conditions: { traits: { plan: 'pro', region: { exists: true } } },
      }),
    )
    expect(hidden).toMatchObject({ version: 1, status: 'ready', browser: false, description: null })
    expect(await t.segments.publicSegments(t.ws.id, { anonymousId: 'a0' })).toEqual([])
    expect(await members()).toEqual(afterRename)

    // New conditions: a new version, back-filled again from the start.
    const changed = await json<Seg>(
      secret('PUT', `/v1/segments/${made.id}`, {
        name: 'Paying: pro plan',
        conditions: { traits: { plan: 'free' } },
      }),
    )
    expect(changed).toMatchObject({
      version: 2,
      status: 'building',
      progress: { done: 0, total: 6 },
    })
    let steps = 0
    while ((await t.segments.backfillStep(new Date(), made.id)) !== null) steps++
    expect(steps).toBeGreaterThan(0)
    const rebuilt = await json<Seg>(t.get(`/v1/segments/${made.id}`))
    expect(rebuilt).toMatchObject({ version: 2, status: 'ready', members: 1 })
    const free = await store.sql`select c.traits ->> 'plan' as plan from segment_members m
      join contacts c on c.id = m.contact_id where m.segment_id = ${made.id} and m.member`
    expect(free.map((r) => r.plan)).toEqual(['free'])
    // Back-fill records where the new version starts: no Entered/Exited for it either.
    expect(await transitions()).toBe(before.transitions + 1)
  }, 120_000)
})
