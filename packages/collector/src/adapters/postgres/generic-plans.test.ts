import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore, type TestStore } from '../../test-support/stores.js'
import { trackEvent } from '../../test-support/events.js'
import { loadScoringEvents } from './scoring.js'
import { lifecycleEvents } from './lifecycle.js'
import { openStore } from '../open-store.js'
import { createAudienceStore } from './segments-store.js'

// The ingest's reads of a few contacts' events and audience state keep one generic plan per
// connection instead of being planned again for every batch (scoring.ts, `idsForGenericPlan`;
// docs/benchmarks.md, "Reads planned on every batch"). Planning such a read cost more server CPU
// than running it. PostgreSQL only: the embedded store does not keep prepared statements.
describe('ingest reads on PostgreSQL', () => {
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

  it('the segments state read keeps its generic plan across batches', async () => {
    // A second store on the same database with one connection, so every batch's statements
    // are that connection's prepared statements.
    const o = store.sql.options
    const one = await openStore({
      databaseUrl: `postgres://${o.user}@${o.host[0]}:${o.port[0]}/${o.database}`,
      poolSize: 1,
    })
    try {
      await createAudienceStore(one.sql).createSegment(ws, {
        name: 'Pricing visitors',
        conditions: { events: { match: { event: 'Viewed' }, atLeast: 2, within: '14d' } },
      })
      for (let i = 0; i < 12; i++) {
        const at = new Date(Date.UTC(2026, 0, 2, 0, i)).toISOString()
        const r = await one.ingest(ws, [trackEvent(`s-${i}`, `visitor-${i % 3}`, at, 'Viewed')])
        expect(r.inserted).toBe(1)
      }
      const [members] = await one.sql`select count(*)::int as n from segment_members
        where member and segment_id in (select id from segments where workspace_id = ${ws})`
      expect(members!.n).toBe(3)
      // The definitions and the batch's state in one statement (segments-eval.ts), from the
      // second batch on.
      const [plans] =
        await one.sql`select generic_plans::int as generic, custom_plans::int as custom
        from pg_prepared_statements
        where statement like '%from segments where workspace_id%from segment_members, a where contact_id%'
          and statement not like '%pg_prepared_statements%'`
      expect(plans!.custom).toBeLessThanOrEqual(5)
      expect(plans!.generic).toBeGreaterThanOrEqual(5)
    } finally {
      await one.close()
    }
  })
})
