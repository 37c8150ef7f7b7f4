import { describe, expect, it } from 'vitest'
import { BACKENDS, closingStores } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { createListsStore } from '../adapters/postgres/lists-store.js'

// Ingest reads the segment definitions and the contacts' audience state in one statement,
// guessing what to read from this process's last evaluation of the workspace
// (adapters/postgres/segments-eval.ts). When a new segment reads what the guess left out (here
// a list), the state is read again: the contact is found on the list, back-fill records it a
// member, and later events neither re-enter nor exit it.

const stores = closingStores()

describe.each(BACKENDS)('segment state read with the definitions (%s)', (backend) => {
  it('a segment reading a list the last evaluation did not read: no wrong exit', async () => {
    const store = await stores.open(backend)
    const t = await createTestApp(store)
    const lists = createListsStore(store.sql)
    const page = (n: number) => ({
      type: 'page',
      anonymousId: 'visitor-1',
      messageId: `m-${n}`,
      properties: { url: 'https://a.example/' },
    })
    const backfill = async () => {
      while ((await t.segments.backfillStep(new Date())) !== null);
    }
    const seen = await t.segments.createSegment(t.ws.id, {
      name: 'Seen this month',
      conditions: { lastSeen: { within: '30d' } },
    })
    await backfill()
    expect((await t.post('/v1/batch', { batch: [page(1)] })).status).toBe(200)
    const [contact] = await store.sql`select id from contacts where workspace_id = ${t.ws.id}`
    const id = contact!.id as string

    const vip = await lists.createList(t.ws.id, 'VIP')
    await lists.changeMembers(t.ws.id, vip.id, 'add', { contactIds: [id] }, new Date())
    const onList = await t.segments.createSegment(t.ws.id, {
      name: 'On the VIP list',
      conditions: { list: vip.id },
    })
    await backfill()
    for (const n of [2, 3])
      expect((await t.post('/v1/batch', { batch: [page(n)] })).status).toBe(200)

    const members = await store.sql`select segment_id, member from segment_members
      where contact_id = ${id} order by segment_id`
    expect(Object.fromEntries(members.map((m) => [m.segment_id, m.member]))).toEqual({
      [seen.id]: true,
      [onList.id]: true,
    })
    const fired = await store.sql`select event, payload -> 'properties' ->> 'segmentId' as segment
      from events where contact_id = ${id} and message_id like 'segment:%' order by seq`
    // Entered "seen" on the first page; the list segment began as a member (back-fill fires
    // nothing) and stayed one.
    expect(fired.map((f) => [f.event, f.segment])).toEqual([['Segment Entered', seen.id]])
  })
})
