import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, type TestStore } from '../../test-support/stores.js'
import { trackEvent } from '../../test-support/events.js'
import { loadScoringEvents } from './scoring.js'
import { lifecycleEvents } from './lifecycle.js'

// The ingest's reads of a few contacts' events keep one generic plan per connection instead of
// being planned again for every batch (scoring.ts, `idsForGenericPlan`; docs/benchmarks.md,
// "Where PostgreSQL's CPU per event goes"). Planning such a read cost more server CPU than
// running it. PostgreSQL only: the embedded store does not keep prepared statements.
describe('ingest event reads on PostgreSQL', () => {
  let store: TestStore
  let ws: string
  let contact: string
  beforeAll(async () => {
    store = await openTestStore('postgres')
    ws = (await store.createWorkspace({ name: 'Plans' })).id
    const at = '2026-01-01T00:00:00.000Z'
    await store.ingest(ws, [
      trackEvent('p-1', 'v1', at, 'Deal Won', { amount: 5 }),
      trackEvent('p-2', 'v1', at, 'Viewed'),
    ])
    contact = (await store.sql`select id from contacts where workspace_id = ${ws}`)[0]!.id
  })
  afterAll(() => store.close())

  it('are planned a few times, then run on their generic plan, with the same rows', async () => {
    // One connection, so every call reuses its prepared statements.
    const conn = await store.sql.reserve()
    try {
      for (let i = 0; i < 12; i++) {
        const scoring = await loadScoringEvents(conn, [contact])
        // (In no particular order: the replay sorts them.)
        expect(
          scoring
            .get(contact)
            ?.map((e) => e.event)
            .sort(),
        ).toEqual(['Deal Won', 'Viewed'])
        const lifecycle = await lifecycleEvents(conn, ws, [contact])
        expect(lifecycle.get(contact)?.map((e) => e.event)).toEqual(['Deal Won'])
      }
      const prepared = await conn`select statement, generic_plans::int as generic,
          custom_plans::int as custom from pg_prepared_statements
        where statement like '%from events where%contact_id = any%' order by statement`
      // (The filter's own statement matches its pattern too.)
      const plans = prepared.filter((p) => !String(p.statement).includes('pg_prepared_statements'))
      expect(plans).toHaveLength(2)
      for (const p of plans) {
        // PostgreSQL tries five custom plans before comparing them with the generic one.
        expect(p.custom).toBeLessThanOrEqual(5)
        expect(p.generic).toBeGreaterThanOrEqual(7)
      }
    } finally {
      conn.release()
    }
  })
})
