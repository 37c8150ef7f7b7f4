import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES } from '@lodestone/scoring'
import { createTestApp } from '../test-support/app.js'
import { BACKENDS, closingStores } from '../test-support/stores.js'

// A rules change rescores the workspace's accounts in the same job as its contacts
// (docs/accounts.md, "When the rules change"): fit, total, grade and order from
// GET /v1/accounts follow the new rules at once, and a member event afterwards (ingest's own
// account scoring) gives the same figures.

const stores = closingStores()

type Account = {
  groupId: string
  score: { fit: number; engagement: number; total: number; grade: string }
}

const NOW = new Date('2026-11-02T10:00:00Z')

describe.each(BACKENDS)('account rescore on a rules change (%s)', (backend) => {
  it('rescores account fit, total, grade and order, with no drift from ingest', async () => {
    const store = await stores.open(backend)
    const t = await createTestApp(store, () => NOW)
    const at = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString()
    const group = (i: number, groupId: string, traits: Record<string, unknown>) => ({
      type: 'group',
      userId: `u${i}`,
      groupId,
      messageId: `g${i}`,
      timestamp: at(60),
      traits,
    })
    const pricing = (i: number) => ({
      type: 'page',
      userId: `u${i}`,
      messageId: `p${i}`,
      timestamp: at(30),
      properties: { url: 'https://example.com/pricing' },
    })
    const res = await t.post('/v1/batch', {
      batch: [
        group(1, 'acme', { name: 'Acme', industry: 'SaaS', employees: '201-500' }),
        group(2, 'forge', { name: 'Forge', industry: 'Manufacturing', tier: 'gold' }),
        group(3, 'school', { name: '实验小学', industry: '教育' }),
        pricing(1),
        pricing(2),
      ],
    })
    expect(res.status).toBe(200)
    const list = async () =>
      ((await (await t.get('/v1/accounts')).json()) as { accounts: Account[] }).accounts
    const byGroup = (as: Account[]) => Object.fromEntries(as.map((a) => [a.groupId, a.score]))

    const before = await list()
    expect(before.map((a) => a.groupId)).toEqual(['acme', 'forge', 'school'])
    const old = byGroup(before)
    expect(old.forge!.fit).toBe(0) // no default rule reads `tier`
    expect(old.forge!.engagement).toBeGreaterThan(0)

    // A fit rule on an account trait: forge gains 60 points, nobody else changes.
    const rules = {
      ...DEFAULT_RULES,
      rules: [
        ...DEFAULT_RULES.rules,
        {
          id: 'gold-tier',
          name: 'Gold tier account',
          kind: 'fit',
          points: 60,
          conditions: { traits: { tier: 'gold' } },
        },
      ],
    }
    const put = await t.put('/v1/scoring/rules', rules)
    expect(put.status).toBe(200)

    const after = await list()
    const fresh = byGroup(after)
    expect(fresh.forge!.fit).toBe(60)
    expect(fresh.forge!.engagement).toBe(old.forge!.engagement)
    expect(fresh.forge!.total).toBe(Math.round((60 + old.forge!.engagement) * 100) / 100)
    expect(fresh.forge!.grade).toBe('hot')
    expect(fresh.acme).toEqual(old.acme)
    expect(fresh.school).toEqual(old.school)
    expect(after.map((a) => a.groupId)).toEqual(['forge', 'acme', 'school'])
    // The one account read agrees with the list.
    const one = (await (await t.get('/v1/accounts/forge')).json()) as Account
    expect(one.score).toEqual(fresh.forge)

    // A member event that scores nothing makes ingest rescore forge itself: same figures.
    const ev = await t.post('/v1/batch', {
      batch: [
        {
          type: 'track',
          userId: 'u2',
          messageId: 't2',
          timestamp: at(10),
          event: 'Nothing Scored',
        },
        {
          type: 'track',
          userId: 'u1',
          messageId: 't1',
          timestamp: at(10),
          event: 'Nothing Scored',
        },
      ],
    })
    expect(ev.status).toBe(200)
    const again = await list()
    expect(again.map((a) => a.groupId)).toEqual(after.map((a) => a.groupId))
    expect(byGroup(again)).toEqual(fresh)

    // Back to the old rules (a restore is a save too): the old figures and order come back.
    expect((await t.put('/v1/scoring/rules', DEFAULT_RULES)).status).toBe(200)
    const restored = await list()
    expect(restored.map((a) => a.groupId)).toEqual(['acme', 'forge', 'school'])
    expect(byGroup(restored)).toEqual(old)
  }, 120_000)

  it('rescores accounts scored under older default rules from the time sweep', async () => {
    const store = await stores.open(backend)
    const t = await createTestApp(store, () => NOW)
    const res = await t.post('/v1/batch', {
      batch: [
        {
          type: 'group',
          userId: 'a1',
          groupId: 'acme',
          messageId: 'g1',
          traits: { industry: 'SaaS' },
        },
        {
          type: 'group',
          userId: 'b1',
          groupId: 'beta',
          messageId: 'g2',
          traits: { industry: '教育' },
        },
      ],
    })
    expect(res.status).toBe(200)
    const list = async () =>
      ((await (await t.get('/v1/accounts')).json()) as { accounts: Account[] }).accounts.map(
        (a) => [a.groupId, a.score] as const,
      )
    const current = await list()
    expect(current.map(([g]) => g)).toEqual(['acme', 'beta'])
    // As a release with other default rules left them: beta ahead of acme, members' scores
    // fingerprinted with the old defaults.
    await store.sql`update contacts set score_rules = 'older-defaults'`
    await store.sql`update accounts set score_fit = 40 where group_id = 'beta'`
    expect((await list()).map(([g]) => g)).toEqual(['beta', 'acme'])

    await t.segments.runDue(NOW)
    expect(await list()).toEqual(current)
    const [row] = await store.sql`select count(*)::int as n from contacts
      where score_rules = 'older-defaults'`
    expect(row!.n).toBe(0)
  }, 120_000)
})
