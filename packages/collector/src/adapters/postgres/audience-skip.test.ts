import { describe, expect, it } from 'vitest'
import { createTestApp } from '../../test-support/app.js'
import { BACKENDS, closingStores } from '../../test-support/stores.js'

// The ingest transaction reads whether its workspace has any segment or account
// (ingest.ts `workspaceState`) and then skips the audience step's reads when neither exists
// and the batch has no `group` call (segments-eval.ts). These are the moments a skip would be
// wrong: the first group call of a workspace, the first domain match after accounts exist, and
// the first segment.

const stores = closingStores()
let n = 0
const mid = () => `as-${++n}`

describe.each(BACKENDS)('audience step skipped only when nothing can need it (%s)', (backend) => {
  it('the first group call, the first domain match and the first segment all take effect', async () => {
    const store = await stores.open(backend)
    const t = await createTestApp(store)
    const members = async (groupId: string) =>
      (
        await store.sql`select i.value from account_members m
          join accounts a on a.id = m.account_id
          join identities i on i.contact_id = m.contact_id and i.kind = 'userId'
          where a.workspace_id = ${t.ws.id} and a.group_id = ${groupId} order by 1`
      ).map((r) => r.value as string)
    const identify = (userId: string, traits: Record<string, unknown>) => ({
      type: 'identify',
      userId,
      messageId: mid(),
      traits,
    })

    // No account yet: a company e-mail joins nothing.
    const early = identify('ann', { email: 'ann@acme.example' })
    expect((await t.post('/v1/batch', { batch: [early] })).status).toBe(200)
    expect(await store.sql`select 1 from accounts where workspace_id = ${t.ws.id}`).toHaveLength(0)

    // The workspace's first account comes from a group call in a batch of a workspace without
    // accounts: the step must run for it.
    const group = {
      type: 'group',
      userId: 'bob',
      groupId: 'acme',
      messageId: mid(),
      traits: { name: 'Acme', domain: 'acme.example' },
    }
    expect((await t.post('/v1/batch', { batch: [group] })).status).toBe(200)
    expect(await members('acme')).toEqual(['bob'])

    // With domain matching on, the next batch of a contact with that company's e-mail joins it.
    expect((await t.put('/v1/accounts/settings', { matchDomains: true })).status).toBe(200)
    const again = identify('ann', { name: 'Ann' })
    expect((await t.post('/v1/batch', { batch: [again] })).status).toBe(200)
    expect(await members('acme')).toEqual(['ann', 'bob'])

    // The workspace's first segment: the next batch evaluates it.
    const segment = await t.segments.createSegment(t.ws.id, {
      name: 'Named',
      conditions: { traits: { name: { exists: true } } },
    } as never)
    while ((await t.segments.backfillStep(new Date())) !== null);
    expect((await t.post('/v1/batch', { batch: [identify('cid', { name: 'Cid' })] })).status).toBe(
      200,
    )
    const inSegment = await store.sql`select i.value from segment_members m
      join identities i on i.contact_id = m.contact_id and i.kind = 'userId'
      where m.segment_id = ${segment.id} and m.member order by 1`
    expect(inSegment.map((r) => r.value)).toEqual(['ann', 'cid'])
  }, 120_000)
})
