import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EnrichedEvent } from '../../ports.js'
import { BACKENDS, openTestStore, type TestStore } from '../../test-support/stores.js'
import { trackEvent } from '../../test-support/events.js'

// The one rule for a repeated messageId (README, "Send events"): the first copy seen is stored
// and the request that carried it is credited; later copies are duplicates. First means first in
// a request, first in a group-committed batch (request order), and first committed across
// requests.

const event = (messageId: string, copy: string, anonymousId = 'v1'): EnrichedEvent =>
  trackEvent(messageId, anonymousId, '2026-01-01T00:00:00.000Z', 'Seen', { copy })

describe.each(BACKENDS)('a repeated messageId on %s', (backend) => {
  let store: TestStore
  let ws: string
  beforeAll(async () => {
    store = await openTestStore(backend)
    ws = (await store.createWorkspace({ name: 'Rule' })).id
  })
  afterAll(() => store.close())

  const storedCopy = async (messageId: string) => {
    const rows = await store.sql`select payload->'properties'->>'copy' as copy from events
      where workspace_id = ${ws} and message_id = ${messageId}`
    return rows.map((r) => r.copy as string)
  }

  it('within one request: the first copy is stored', async () => {
    const r = await store.ingest(ws, [event('in-req', 'first'), event('in-req', 'second')])
    expect(r).toMatchObject({ inserted: 1, duplicates: 1 })
    expect(await storedCopy('in-req')).toEqual(['first'])
  })

  it('across requests committed one after the other: the first commit wins', async () => {
    expect(await store.ingest(ws, [event('across', 'first')])).toMatchObject({ inserted: 1 })
    const again = await store.ingest(ws, [event('across', 'second')])
    expect(again).toMatchObject({ inserted: 0, duplicates: 1, stored: [] })
    expect(await storedCopy('across')).toEqual(['first'])
  })

  it('across requests committed together: the earlier request is stored and credited', async () => {
    // Two transactions run at once per workspace; the third and fourth request wait and are
    // then committed as one group, in the order they arrived.
    const [, , third, fourth] = await Promise.all([
      store.ingest(ws, [event('busy-1', 'x', 'b1')]),
      store.ingest(ws, [event('busy-2', 'x', 'b2')]),
      store.ingest(ws, [event('grouped', 'first', 'g1')]),
      store.ingest(ws, [event('grouped', 'second', 'g1'), event('grouped-own', 'x', 'g1')]),
    ])
    expect(third).toMatchObject({ inserted: 1, duplicates: 0 })
    expect(third!.stored.map((s) => s.messageId)).toEqual(['grouped'])
    expect(fourth).toMatchObject({ inserted: 1, duplicates: 1 })
    expect(fourth!.stored.map((s) => s.messageId)).toEqual(['grouped-own'])
    expect(await storedCopy('grouped')).toEqual(['first'])
  })
})
