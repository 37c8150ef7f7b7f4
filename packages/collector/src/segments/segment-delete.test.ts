import { describe, expect, it } from 'vitest'
import { createTestApp } from '../test-support/app.js'
import { BACKENDS, closingStores } from '../test-support/stores.js'

// Deleting a segment deletes its membership rows, members and former members alike: since
// migration 0018 no foreign key cascades them (docs/segments.md, "Cost at ingest"). Other
// segments' rows stay.

const stores = closingStores()

describe.each(BACKENDS)('deleting a segment (%s)', (backend) => {
  it('removes its memberships and keeps the other segments', async () => {
    const store = await stores.open(backend)
    const t = await createTestApp(store)
    const secret = (method: string, path: string, body?: unknown) =>
      t.app.request(path, {
        method,
        headers: { authorization: `Bearer ${t.ws.secretKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
    const make = async (name: string, conditions: unknown) => {
      const r = await secret('POST', '/v1/segments', { name, conditions })
      expect(r.status).toBe(201)
      return ((await r.json()) as { id: string }).id
    }
    const pro = await make('Pro', { traits: { plan: 'pro' } })
    const apac = await make('APAC', { traits: { region: 'APAC' } })
    while ((await t.segments.backfillStep(new Date())) !== null);
    const identify = (i: number, plan: string, n: string) => ({
      type: 'identify',
      anonymousId: `a${i}`,
      messageId: `m${i}-${n}`,
      traits: { plan, region: i % 2 ? 'EMEA' : 'APAC' },
    })
    const send = async (batch: unknown[]) =>
      expect((await t.post('/v1/batch', { batch })).status).toBe(200)
    await send([0, 1, 2, 3].map((i) => identify(i, 'pro', 'a')))
    // contact 0 leaves Pro: its row stays as a former member (member = false, seq 2)
    await send([identify(0, 'free', 'b')])
    const rows = async (segmentId: string) =>
      (
        await store.sql`select member, seq from segment_members where segment_id = ${segmentId}
          order by member, seq`
      ).map((r) => `${r.member}:${r.seq}`)
    expect(await rows(pro)).toEqual(['false:2', 'true:1', 'true:1', 'true:1'])
    expect(await rows(apac)).toEqual(['true:1', 'true:1'])

    expect((await secret('DELETE', `/v1/segments/${pro}`)).status).toBe(200)
    expect(await rows(pro)).toEqual([])
    expect(await rows(apac)).toEqual(['true:1', 'true:1'])
    expect((await secret('GET', `/v1/segments/${pro}`)).status).toBe(404)
    // ingest after the delete writes nothing for it
    await send([identify(5, 'pro', 'c')])
    expect(await rows(pro)).toEqual([])
  })
})
