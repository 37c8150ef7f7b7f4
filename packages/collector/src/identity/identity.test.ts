import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'

let seq = 0
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString()
const track = (
  ids: Record<string, string>,
  minute: number,
  extra: Record<string, unknown> = {},
) => ({
  type: 'track',
  event: 'Viewed',
  messageId: `m${++seq}`,
  timestamp: at(minute),
  ...ids,
  ...extra,
})
const identify = (
  ids: Record<string, string>,
  traits: Record<string, unknown>,
  minute: number,
) => ({
  type: 'identify',
  messageId: `m${++seq}`,
  timestamp: at(minute),
  traits,
  ...ids,
})

describe.each(BACKENDS)('identity resolution on %s', (backend) => {
  let store: TestStore
  let t: Awaited<ReturnType<typeof createTestApp>>
  const send = async (...batch: object[]) => {
    const res = await t.post('/v1/batch', { batch })
    expect(res.status).toBe(200)
  }
  const contact = async (q: string) => {
    const res = await t.get(`/v1/contacts/lookup?${q}`)
    return res.status === 200 ? res.json() : null
  }
  const eventCount = async (id: string) =>
    (await (await t.get(`/v1/contacts/${id}/events?limit=1000`)).json()).events.length

  beforeAll(async () => {
    store = await openTestStore(backend)
    t = await createTestApp(store)
  })
  afterAll(() => store.close())

  it('anonymous visit → form identify by email → login: one contact with all events', async () => {
    await send(track({ anonymousId: 'a-1' }, 1), track({ anonymousId: 'a-1' }, 2))
    await send(
      identify({ anonymousId: 'a-1' }, { email: ' Grace@Example.COM ', firstName: 'Grace' }, 3),
    )
    await send(identify({ anonymousId: 'a-1', userId: 'user-grace' }, { plan: 'pro' }, 4))
    const c = await contact('email=grace@example.com')
    expect(c.identities.map((i: { kind: string }) => i.kind).sort()).toEqual([
      'anonymousId',
      'email',
      'userId',
    ])
    expect(c.traits).toMatchObject({ email: 'grace@example.com', firstName: 'Grace', plan: 'pro' })
    expect((await contact('userId=user-grace')).id).toBe(c.id)
    expect(await eventCount(c.id)).toBe(4)
  })

  it('two devices identified by one user merge into the oldest; a third device joins', async () => {
    await send(track({ anonymousId: 'laptop' }, 10))
    await send(track({ anonymousId: 'phone' }, 11))
    const laptop = await contact('anonymousId=laptop')
    const phone = await contact('anonymousId=phone')
    expect(laptop.id).not.toBe(phone.id)
    await send(identify({ anonymousId: 'phone', userId: 'alan' }, { name: 'Alan' }, 12))
    await send(identify({ anonymousId: 'laptop', userId: 'alan' }, {}, 13))
    const merged = await contact('userId=alan')
    expect(merged.id).toBe(laptop.id) // the laptop was seen first
    expect((await contact('anonymousId=phone')).id).toBe(laptop.id)
    // the merged-away id keeps resolving to the survivor
    expect((await (await t.get(`/v1/contacts/${phone.id}`)).json()).id).toBe(laptop.id)
    expect(merged.mergedFrom.map((m: { id: string }) => m.id)).toContain(phone.id)
    await send(track({ anonymousId: 'tablet', userId: 'alan' }, 14))
    expect((await contact('anonymousId=tablet')).id).toBe(laptop.id)
    expect(await eventCount(laptop.id)).toBe(5)
  })

  it('never merges two known users through one browser; records the conflict', async () => {
    await send(
      identify({ anonymousId: 'shared-pc', userId: 'ann' }, { email: 'ann@example.com' }, 20),
    )
    // logged out without reset, then another person logged in on the same browser
    await send(
      identify({ anonymousId: 'shared-pc', userId: 'bob' }, { email: 'bob@example.com' }, 21),
    )
    const ann = await contact('userId=ann')
    const bob = await contact('userId=bob')
    expect(ann.id).not.toBe(bob.id)
    expect(bob.traits.email).toBe('bob@example.com')
    expect(ann.traits.email).toBe('ann@example.com')
    expect(bob.conflicts).toContainEqual(
      expect.objectContaining({ contactId: ann.id, kind: 'anonymousId', value: 'shared-pc' }),
    )
    // with reset (new anonymousId) there is simply no overlap
    await send(identify({ anonymousId: 'shared-pc-2', userId: 'cy' }, {}, 22))
    expect((await contact('userId=cy')).id).not.toBe(ann.id)
  })

  it('does not merge two users through a shared inbox', async () => {
    await send(
      identify({ userId: 'u-sales-1', anonymousId: 'd1' }, { email: 'sales@acme.test' }, 30),
    )
    await send(
      identify({ userId: 'u-sales-2', anonymousId: 'd2' }, { email: 'sales@acme.test' }, 31),
    )
    expect((await contact('userId=u-sales-1')).id).not.toBe((await contact('userId=u-sales-2')).id)
  })

  it('alias links the anonymous history to the known user', async () => {
    await send(track({ anonymousId: 'pre-signup' }, 40))
    await send({
      type: 'alias',
      previousId: 'pre-signup',
      userId: 'new-user',
      messageId: `m${++seq}`,
      timestamp: at(41),
    })
    expect((await contact('userId=new-user')).id).toBe((await contact('anonymousId=pre-signup')).id)
  })

  it('keeps traits by latest timestamp, not by arrival', async () => {
    await send(identify({ userId: 'late' }, { company: 'New Co' }, 51))
    await send(identify({ userId: 'late' }, { company: 'Old Co', city: 'Oslo' }, 50))
    expect((await contact('userId=late')).traits).toMatchObject({ company: 'New Co', city: 'Oslo' })
  })

  it('keeps first touch from the earliest event', async () => {
    const page = (minute: number, source: string) => ({
      type: 'page',
      anonymousId: 'ft',
      messageId: `m${++seq}`,
      timestamp: at(minute),
      context: {
        page: {
          url: `https://acme.test/?utm_source=${source}`,
          referrer: `https://${source}.test/`,
        },
      },
    })
    await send(page(61, 'second'))
    await send(page(60, 'first'))
    await send(page(62, 'third'))
    const c = await contact('anonymousId=ft')
    expect(c.firstTouch.campaign).toEqual({ source: 'first' })
    expect(c.firstTouch.referrerDomain).toBe('first.test')
  })

  it('50 concurrent requests for one new visitor make one contact', async () => {
    const res = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.post('/v1/batch', { batch: [track({ anonymousId: 'racer' }, 70 + (i % 5))] }),
      ),
    )
    expect(res.every((r) => r.status === 200)).toBe(true)
    const [row] =
      await store.sql`select count(distinct contact_id)::int as n, count(*)::int as e from events
      where anonymous_id = 'racer' and workspace_id = ${t.ws.id}`
    expect(row).toEqual({ n: 1, e: 50 })
  })

  it('concurrent cross merges (A↔B, B↔C) end as one contact without deadlock', async () => {
    await send(
      track({ anonymousId: 'xa' }, 80),
      track({ anonymousId: 'xb' }, 81),
      track({ anonymousId: 'xc' }, 82),
    )
    const res = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.post('/v1/batch', {
          batch: [
            i % 2
              ? identify({ anonymousId: 'xa' }, { email: 'ab@x.test' }, 83)
              : identify({ anonymousId: 'xb' }, { email: 'ab@x.test' }, 84),
            i % 3
              ? identify({ anonymousId: 'xb' }, { email: 'bc@x.test' }, 85)
              : identify({ anonymousId: 'xc' }, { email: 'bc@x.test' }, 86),
          ],
        }),
      ),
    )
    expect(res.map((r) => r.status)).toEqual(Array(20).fill(200))
    const ids = new Set([
      (await contact('anonymousId=xa')).id,
      (await contact('anonymousId=xb')).id,
      (await contact('anonymousId=xc')).id,
    ])
    expect(ids.size).toBe(1)
  })

  it('deletes a contact and everything merged into it (GDPR)', async () => {
    await send(
      track({ anonymousId: 'gone-1' }, 90),
      identify({ anonymousId: 'gone-1' }, { email: 'gone@x.test' }, 91),
    )
    await send(identify({ anonymousId: 'gone-2' }, { email: 'gone@x.test' }, 92))
    const c = await contact('email=gone@x.test')
    const exported = await (await t.get(`/v1/contacts/${c.id}/export`)).json()
    expect(exported.events).toHaveLength(3)
    const del = await t.app.request(`/v1/contacts/email:gone@x.test`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${t.ws.secretKey}` },
    })
    expect(del.status).toBe(200)
    expect(await contact('email=gone@x.test')).toBeNull()
    const [left] = await store.sql`select
      (select count(*)::int from events where anonymous_id in ('gone-1','gone-2')) as events,
      (select count(*)::int from identities where value in ('gone-1','gone-2','gone@x.test')) as ids`
    expect(left).toEqual({ events: 0, ids: 0 })
  })
})

describe('identity is independent of delivery order (property)', () => {
  let store: TestStore
  beforeAll(async () => {
    store = await openTestStore('pglite')
  })
  afterAll(() => store.close())

  it('the same events in any order, duplicated, give the same contacts, identities and traits', async () => {
    // Four visitors' devices and two users, linked by identify calls; no two users share a device.
    const events = [
      track({ anonymousId: 'd1' }, 1),
      identify({ anonymousId: 'd1' }, { email: 'p@x.test', name: 'P' }, 2),
      track({ anonymousId: 'd2' }, 3),
      identify({ anonymousId: 'd2', userId: 'p' }, { name: 'Pat' }, 4),
      identify({ anonymousId: 'd3', userId: 'p' }, { email: 'p@x.test' }, 5),
      track({ anonymousId: 'd4' }, 6),
      identify({ anonymousId: 'd4', userId: 'q' }, { company: 'Q' }, 7),
      track({ anonymousId: 'd5', userId: 'q' }, 8),
    ]
    const snapshot = async (wsId: string) => {
      const rows =
        await store.sql`select i.kind, i.value, c.traits, c.id from identities i join contacts c on c.id = i.contact_id
        where i.workspace_id = ${wsId} order by i.kind, i.value`
      const groups = new Map<string, string[]>()
      for (const r of rows) groups.set(r.id, [...(groups.get(r.id) ?? []), `${r.kind}:${r.value}`])
      const traitsBy = new Map(rows.map((r) => [r.id, r.traits]))
      return [...groups.entries()]
        .map(([id, ids]) => ({ ids: ids.sort(), traits: traitsBy.get(id) }))
        .sort((a, b) => (a.ids[0]! < b.ids[0]! ? -1 : 1))
    }
    let reference: unknown = null
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        fc.array(fc.integer({ min: 0, max: events.length - 1 }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 4 }),
        async (order, dupes, chunk) => {
          const t = await createTestApp(store)
          const all = [...order, ...dupes.map((i) => events[i]!)]
          for (let i = 0; i < all.length; i += chunk) {
            const res = await t.post('/v1/batch', { batch: all.slice(i, i + chunk) })
            expect(res.status).toBe(200)
          }
          const snap = await snapshot(t.ws.id)
          reference ??= snap
          expect(snap).toEqual(reference)
        },
      ),
      { numRuns: 25 },
    )
  })
})
