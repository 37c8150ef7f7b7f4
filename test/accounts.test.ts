import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSender } from '../examples/server/src/sender.js'
import { startCollector } from './support/collector.js'

// Accounts (docs/accounts.md) from Segment's own Node library, @segment/analytics-node,
// unchanged: its group calls make accounts and members; titles give buying roles in English
// and Chinese; company e-mail domains join contacts when enabled (free mail never does); two
// groupIds aliased merge into one account.

interface Member {
  id: string
  traits: Record<string, unknown>
  role: string
  source: string
  score: { fit: number; engagement: number; total: number; grade: string }
}
interface Account {
  id: string
  groupId: string
  traits: Record<string, unknown>
  score: { fit: number; engagement: number; total: number; grade: string }
  members: Member[]
  groupIds: string[]
}

describe('accounts from @segment/analytics-node group calls', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>
  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${collector.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${collector.secretKey}`,
        'content-type': 'application/json',
      },
    })
    return { status: res.status, body: (await res.json()) as never }
  }
  beforeAll(async () => {
    collector = await startCollector()
  })
  afterAll(async () => {
    await collector?.stop()
  })

  it('makes accounts with members, buying roles, scores and merges', async () => {
    expect(
      (
        await api('/v1/accounts/settings', {
          method: 'PUT',
          body: JSON.stringify({ matchDomains: true }),
        })
      ).status,
    ).toBe(200)
    const analytics = createSender({
      host: collector.url,
      secretKey: collector.secretKey,
      flushInterval: 100,
    })
    const people = [
      { userId: 'u1', title: '首席执行官', email: 'wang@acme.cn' },
      { userId: 'u2', title: 'VP Marketing', email: 'vp@acme.cn' },
      { userId: 'u3', title: '产品经理', email: 'pm@acme.cn' },
      { userId: 'u4', title: 'Engineer', email: 'eng@acme-china.cn' },
    ]
    for (const p of people) {
      analytics.identify({ userId: p.userId, traits: { title: p.title, email: p.email } })
      analytics.page({
        userId: p.userId,
        name: 'Pricing',
        properties: { url: 'https://acme.test/pricing' },
      })
    }
    const company = {
      name: 'Acme',
      industry: 'Software',
      employees: 300,
      website: 'https://www.acme.cn',
    }
    for (const id of ['u1', 'u2', 'u3'])
      analytics.group({ userId: id, groupId: 'acme', traits: company })
    analytics.group({ userId: 'u4', groupId: 'acme-cn', traits: { name: 'Acme China' } })
    analytics.group({
      userId: 'u9',
      groupId: 'tiny',
      traits: { name: 'Tiny', industry: 'Education' },
    })
    await analytics.closeAndFlush()
    // after the account exists: a company address joins it, a free-mail address does not
    const later = createSender({
      host: collector.url,
      secretKey: collector.secretKey,
      flushInterval: 100,
    })
    later.identify({ userId: 'u5', traits: { title: 'Head of Sales', email: 'sales@acme.cn' } })
    later.identify({ userId: 'u6', traits: { title: 'CEO', email: 'someone@gmail.com' } })
    await later.closeAndFlush()

    const list = await api('/v1/accounts?sort=score')
    const accounts = (list.body as { accounts: Account[] }).accounts
    expect(accounts[0]!.groupId).toBe('acme')
    expect(accounts.map((a) => a.groupId).sort()).toEqual(['acme', 'acme-cn', 'tiny'])
    const totals = accounts.map((a) => a.score.total)
    expect(totals).toEqual([...totals].sort((x, y) => y - x))
    const acme = (await api(`/v1/accounts/${accounts[0]!.id}`)).body as Account
    const roles = Object.fromEntries(acme.members.map((m) => [m.traits.title, [m.role, m.source]]))
    expect(roles).toEqual({
      首席执行官: ['decision_maker', 'group'],
      'VP Marketing': ['decision_maker', 'group'],
      产品经理: ['influencer', 'group'],
      'Head of Sales': ['decision_maker', 'domain'],
    })
    // fit: the default fit rules over the account's traits (software +10, 50–5,000 people +10)
    expect(acme.score.fit).toBe(20)
    // engagement: the sum of the members' engagement; total = fit + engagement
    const sum = acme.members.reduce((s, m) => s + m.score.engagement, 0)
    expect(acme.score.engagement).toBeCloseTo(sum, 1)
    expect(acme.score.engagement).toBeGreaterThan(0)
    expect(acme.score.total).toBeCloseTo(acme.score.fit + acme.score.engagement, 2)
    // acme-cn's one member (first seen in the same batch as its group call) counts too: the
    // account's engagement is that member's engagement, not 0
    const cn = (await api('/v1/accounts/acme-cn')).body as Account
    expect(cn.members).toHaveLength(1)
    expect(cn.members[0]!.score.engagement).toBeGreaterThan(0)
    expect(cn.score.engagement).toBeCloseTo(cn.members[0]!.score.engagement, 1)
    // the Chinese CEO title earns the default decision-maker points now
    const ceo = acme.members.find((m) => m.traits.title === '首席执行官')!
    expect(ceo.score.fit).toBeGreaterThanOrEqual(20)

    const u6 = (await api('/v1/contacts/lookup?userId=u6')).body as { accounts: unknown[] }
    expect(u6.accounts).toEqual([])
    const u1 = (await api('/v1/contacts/lookup?userId=u1')).body as {
      accounts: { groupId: string; role: string }[]
    }
    expect(u1.accounts).toEqual([
      expect.objectContaining({ groupId: 'acme', role: 'decision_maker' }),
    ])

    const merged = await api('/v1/accounts/merge', {
      method: 'POST',
      body: JSON.stringify({ from: 'acme-cn', into: 'acme' }),
    })
    expect(merged.status).toBe(200)
    const after = (await api('/v1/accounts/acme-cn')).body as Account
    expect(after.id).toBe(acme.id)
    expect(after.groupIds).toEqual(['acme', 'acme-cn'])
    expect(after.members.map((m) => m.traits.title)).toContain('Engineer')
    const ranked = (await api('/v1/accounts')).body as { accounts: Account[] }
    expect(ranked.accounts.map((a) => a.groupId)).toEqual(['acme', 'tiny'])
    // later group calls with the alias land on the survivor
    const again = createSender({
      host: collector.url,
      secretKey: collector.secretKey,
      flushInterval: 100,
    })
    again.group({ userId: 'u7', groupId: 'acme-cn', traits: {} })
    await again.closeAndFlush()
    const final = (await api('/v1/accounts/acme')).body as Account
    expect(final.members).toHaveLength(acme.members.length + 2)
  }, 120_000)
})
