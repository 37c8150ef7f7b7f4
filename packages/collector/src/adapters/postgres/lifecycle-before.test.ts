import { describe, expect, it } from 'vitest'
import { createTestApp } from '../../test-support/app.js'
import { BACKENDS, closingStores } from '../../test-support/stores.js'
import { DEMO_RULES as RULES } from '../../test-support/events.js'

// A batch that only changes a contact's grade evaluates every alert rule against the contact's
// stored lifecycle events and alert state. The lifecycle step leaves contacts first seen in the
// batch out of those reads (lifecycle.ts), never one that existed before: an alert that already
// holds must not fire again, and one that holds on the stored events must stay active.

const stores = closingStores()
let n = 0
const mid = () => `lb-${++n}`

describe.each(BACKENDS)('grade change of a contact with lifecycle history (%s)', (backend) => {
  it('fires the grade alert once and keeps the stored ones without firing them again', async () => {
    const store = await stores.open(backend)
    const t = await createTestApp(store)
    const secret = { authorization: `Bearer ${t.ws.secretKey}` }
    expect((await t.put('/v1/scoring/rules', RULES)).status).toBe(200)
    const alerts = async () =>
      (
        (await (await t.get('/v1/contacts/anonymousId:lb-anon/alerts')).json()).alerts as {
          ruleId: string
        }[]
      )
        .map((a) => a.ruleId)
        .sort()
    const ticket = (ticketId: number, daysAgo: number) => ({
      type: 'track',
      anonymousId: 'lb-anon',
      messageId: mid(),
      event: 'Ticket Created',
      timestamp: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
      properties: { ticketId, category: 'Bug' },
    })
    const burst = await t.post('/v1/batch', { batch: [1, 2, 3].map((i) => ticket(i, i)) }, secret)
    expect(burst.status).toBe(200)
    expect(await alerts()).toEqual(['ticket-burst'])

    // Only a grade change now: cold → hot, no lifecycle event in the batch.
    const demo = {
      type: 'page',
      anonymousId: 'lb-anon',
      messageId: mid(),
      context: { page: { url: 'https://acme.test/demo' } },
    }
    expect((await t.post('/v1/batch', { batch: [demo] })).status).toBe(200)
    expect(await alerts()).toEqual(['became-hot', 'ticket-burst'])
    const [row] = await store.sql`select s.state from contact_alert_state s
      join identities i on i.contact_id = s.contact_id
      where i.workspace_id = ${t.ws.id} and i.kind = 'anonymousId' and i.value = 'lb-anon'`
    const state = row!.state as Record<string, { active: boolean }>
    expect(state['ticket-burst']?.active).toBe(true)
    expect(state['became-hot']?.active).toBe(true)
  }, 120_000)
})
