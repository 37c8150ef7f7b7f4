import { describe, expect, it } from 'vitest'
import { createTestApp } from '../test-support/app.js'
import { BACKENDS, closingStores } from '../test-support/stores.js'

// Account fit from `group` traits with the default rules (docs/accounts.md, "Default fit
// rules"): what GET /v1/accounts answers for an English and a Chinese company, and a poor fit.

const stores = closingStores()

type Account = { groupId: string; score: { fit: number; total: number; grade: string } }

describe.each(BACKENDS)('default account fit (%s)', (backend) => {
  it('scores firmographics from group calls, English and Chinese', async () => {
    const store = await stores.open(backend)
    const t = await createTestApp(store)
    const group = (i: number, groupId: string, traits: Record<string, unknown>) => ({
      type: 'group',
      userId: `u${i}`,
      groupId,
      messageId: `g${i}`,
      traits,
    })
    const res = await t.post('/v1/batch', {
      batch: [
        group(1, 'acme', {
          name: 'Acme',
          industry: 'SaaS',
          employees: '201-500',
          plan: 'Pro',
          address: { country: 'UK' },
          annualRevenue: '$40M',
        }),
        group(2, 'yunfan', {
          name: '云帆科技',
          industry: '企业服务',
          employees: '1000-4999人',
          plan: '旗舰版',
          country: '中国',
          annualRevenue: '3亿元',
        }),
        group(3, 'school', { name: '实验小学', industry: '教育', employees: '少于10人' }),
      ],
    })
    expect(res.status).toBe(200)
    const body = (await (await t.get('/v1/accounts')).json()) as { accounts: Account[] }
    const fits = Object.fromEntries(body.accounts.map((a) => [a.groupId, a.score.fit]))
    expect(fits).toEqual({
      acme: 10 + 10 + 10 + 5 + 10, // industry, size, paid plan, UK, revenue
      yunfan: 10 + 10 + 15 + 5 + 10, // 企业服务, 1000-4999人, 旗舰版 (paid + enterprise), 中国, 3亿
      school: -10 - 10, // 教育, 少于10人
    })
    // ranked by total as of now: the members have no engagement yet, so by fit
    expect(body.accounts.map((a) => a.groupId)).toEqual(['yunfan', 'acme', 'school'])
    expect(body.accounts.map((a) => a.score.grade)).toEqual(['hot', 'warm', 'cold']) // hot from 50, warm from 20
  }, 120_000)
})
