import { describe, expect, it } from 'vitest'
import { BACKENDS, closingStores } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'

// Ingest keeps the segments it loaded under the fingerprint of their rows and reads only the
// fingerprint in each batch's transaction (adapters/postgres/segments-eval.ts): a change made
// anywhere — here straight in the database, as another process would — is seen by the next
// batch without anything telling this process.

const stores = closingStores()

describe.each(BACKENDS)('segment definitions across batches (%s)', (backend) => {
  it('a rename, new conditions, a deletion and a new segment made elsewhere are seen', async () => {
    const store = await stores.open(backend)
    const t = await createTestApp(store)
    const pricing = { type: 'page', url: '*/pricing*' }
    const seg = await t.segments.createSegment(t.ws.id, {
      name: 'Pricing visitors',
      key: 'pricing',
      conditions: { events: { match: pricing, atLeast: 1, within: '1d' } },
    })
    while ((await t.segments.backfillStep(new Date())) !== null);
    let n = 0
    const page = (visitor: string, url: string) => ({
      type: 'page',
      anonymousId: visitor,
      messageId: `m-${++n}`,
      properties: { url },
    })
    const send = async (...batch: unknown[]) =>
      expect((await t.post('/v1/batch', { batch })).status).toBe(200)
    const entered = async () =>
      (
        await store.sql`select payload->'properties'->>'segmentName' as name,
            payload->'properties'->>'segmentKey' as key, contact_id
          from events where workspace_id = ${t.ws.id} and event = 'Segment Entered'
          order by seq`
      ).map((r) => `${r.key}:${r.name}`)

    await send(page('v1', 'https://a.example/pricing'))
    expect(await entered()).toEqual(['pricing:Pricing visitors'])

    // renamed behind the process's back: the next transition carries the new name
    await store.sql`update segments set name = '价格页访客' where id = ${seg.id}`
    await send(page('v2', 'https://a.example/pricing'))
    expect(await entered()).toEqual(['pricing:Pricing visitors', 'pricing:价格页访客'])

    // a name holding the characters a row's text quotes (the fingerprint is the rows' text)
    const quoted = '价格页访客","1",ready),(x'
    await store.sql`update segments set name = ${quoted} where id = ${seg.id}`
    await send(page('v2b', 'https://a.example/pricing'))
    expect((await entered()).at(-1)).toBe(`pricing:${quoted}`)

    // new conditions (a new version, ready at once here): pricing no longer counts, docs do
    await store.sql`update segments set version = version + 1,
      conditions = ${store.sql.json({ events: { match: { type: 'page', url: '*/docs*' }, atLeast: 1, within: '1d' } })}
      where id = ${seg.id}`
    await send(page('v3', 'https://a.example/pricing'), page('v4', 'https://a.example/docs/x'))
    expect(await entered()).toHaveLength(4)
    const members = await store.sql`select count(*)::int as n from segment_members
      where segment_id = ${seg.id} and member`
    expect(members[0]!.n).toBe(4)

    // deleted elsewhere: nothing more is written for it
    await store.sql`delete from segment_members where segment_id = ${seg.id}`
    await store.sql`delete from segments where id = ${seg.id}`
    await send(page('v5', 'https://a.example/docs/y'))
    const left = await store.sql`select count(*)::int as n from segment_members
      where segment_id = ${seg.id}`
    expect(left[0]!.n).toBe(0)
    expect(await entered()).toHaveLength(4)

    // a new segment made elsewhere, ready: evaluated from the next batch on
    await store.sql`insert into segments (id, workspace_id, key, name, conditions, version, status)
      values ('seg_elsewhere', ${t.ws.id}, 'docs', 'Docs readers',
        ${store.sql.json({ events: { match: { type: 'page', url: '*/docs*' }, atLeast: 1, within: '1d' } })},
        1, 'ready')`
    await send(page('v6', 'https://a.example/docs/z'))
    expect((await entered()).at(-1)).toBe('docs:Docs readers')
  })
})
