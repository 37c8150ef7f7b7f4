import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES, createScorer } from './index.js'
import { toNumber } from './values.js'

// The default fit rules on firmographic traits (docs/accounts.md, "Default fit rules"): an
// account's fit is these rules over its `group` traits, a contact's over its own traits. Each
// case is what a B2B marketer would type or a data provider would send, in English and Chinese.

const scorer = createScorer(DEFAULT_RULES)
const fit = (traits: Record<string, unknown>) => {
  const s = scorer.score(null, traits, 0)
  return { fit: s.fit, rules: s.breakdown.map((b) => b.rule).sort() }
}

describe('default fit rules on account traits', () => {
  it('scores whole companies, English and Chinese', () => {
    expect(
      fit({
        name: 'Acme',
        industry: 'Computer Software',
        employees: 300,
        plan: 'Enterprise (annual)',
        address: { country: 'United States' },
        annualRevenue: 50_000_000,
      }),
    ).toEqual({
      fit: 10 + 10 + 10 + 5 + 5 + 10,
      rules: [
        'annual-revenue-in-range',
        'enterprise-plan',
        'paid-plan',
        'target-industry',
        'target-market',
        'team-size-in-range',
      ],
    })
    expect(
      fit({
        name: '云帆科技',
        industry: '云计算',
        employees: '10000人以上',
        plan: '企业版',
        country: '中国',
        annualRevenue: '50亿',
      }),
    ).toEqual({
      fit: 10 + 15 + 10 + 5 + 5 + 15,
      rules: [
        'annual-revenue-large',
        'company-size-enterprise',
        'enterprise-plan',
        'paid-plan',
        'target-industry',
        'target-market',
      ],
    })
    expect(
      fit({ name: '某某小学', industry: '基础教育', employees: '少于10人', annualRevenue: '50万' }),
    ).toEqual({
      fit: -10 - 10 - 5,
      rules: ['annual-revenue-small', 'company-size-micro', 'poor-fit-industry'],
    })
    expect(fit({ name: 'City Council', industry: 'Government Administration' })).toEqual({
      fit: -10,
      rules: ['poor-fit-industry'],
    })
  })

  it.each([
    // [employees, rule]: plain numbers, bands by their lower bound, Chinese bands and counts
    [300, 'team-size-in-range'],
    ['1,200', 'team-size-in-range'],
    ['300人', 'team-size-in-range'],
    ['51-200', 'team-size-in-range'],
    ['201 - 500', 'team-size-in-range'],
    ['1,001-5,000', 'team-size-in-range'],
    ['1K-5K', 'team-size-in-range'],
    ['50+', 'team-size-in-range'],
    ['100-499人', 'team-size-in-range'],
    ['500人以上', 'team-size-in-range'],
    ['150到500人', 'team-size-in-range'],
    [12_000, 'company-size-enterprise'],
    ['5001-10000', 'company-size-enterprise'],
    ['10001+', 'company-size-enterprise'],
    ['10K-50K', 'company-size-enterprise'],
    ['10000人以上', 'company-size-enterprise'],
    ['1万人以上', 'company-size-enterprise'],
    [4, 'company-size-micro'],
    ['1-10', 'company-size-micro'],
    ['2 to 9 employees', 'company-size-micro'],
    ['少于10人', 'company-size-micro'],
    ['10人以下', 'company-size-micro'],
    ['fewer than 10', 'company-size-micro'],
    ['11-50', null],
    ['less than 100', null],
    [0, null],
    ['unknown', null],
  ] as const)('employees %j: %s', (employees, rule) => {
    const size = (t: Record<string, unknown>) =>
      fit(t).rules.filter((r) => r.startsWith('company-size') || r === 'team-size-in-range')
    expect(size({ employees })).toEqual(rule ? [rule] : [])
    // the same under the other names forms and CRMs use
    expect(size({ teamSize: employees })).toEqual(rule ? [rule] : [])
    expect(size({ employeeCount: employees })).toEqual(rule ? [rule] : [])
  })

  it.each([
    ['Pro', 10, ['paid-plan']],
    ['Business', 15, ['enterprise-plan', 'paid-plan']],
    ['Team (monthly)', 10, ['paid-plan']],
    ['专业版', 10, ['paid-plan']],
    ['旗舰版', 15, ['enterprise-plan', 'paid-plan']],
    ['Trial', 5, ['trial-plan']],
    ['免费试用', 5, ['trial-plan']],
    ['Free', 0, []],
    ['免费版', 0, []],
    ['prospect', 0, []], // "pro" is a whole word only
  ] as const)('plan %j: %i', (plan, points, rules) => {
    expect(fit({ plan })).toEqual({ fit: points, rules: [...rules].sort() })
  })

  it.each([
    [{ country: 'China' }, 5],
    [{ country: 'cn' }, 5],
    [{ country: '中华人民共和国' }, 5],
    [{ country: '中国香港' }, 5],
    [{ address: { country: '美国' } }, 5],
    [{ address: { country: 'Deutschland' } }, 5],
    [{ country: '新加坡' }, 5],
    [{ country: 'Brazil' }, 0],
    [{ country: '巴西' }, 0],
    [{ country: 'Chinatown' }, 0], // a whole value, not a part of one
  ] as const)('country %j: %i', (traits, points) => {
    expect(fit(traits).fit).toBe(points)
  })

  it.each([
    [{ annualRevenue: '$5M' }, 10],
    [{ annualRevenue: '5000万' }, 10],
    [{ revenue: '¥1.2亿元' }, 10],
    [{ annualRevenue: 2_000_000_000 }, 15],
    [{ revenue: '2B' }, 15],
    [{ annualRevenue: '800k' }, -5],
    [{ annualRevenue: '80万' }, -5],
    [{ annualRevenue: 0 }, 0], // a blank CRM field, not a tiny company
    [{ annualRevenue: '3M' }, 0],
  ] as const)('revenue %j: %i', (traits, points) => {
    expect(fit(traits).fit).toBe(points)
  })

  it.each([
    ['SaaS', 10],
    ['Information Technology & Services', 10],
    ['Banking', 10],
    ['计算机软件', 10],
    ['互联网/电子商务', 10],
    ['金融服务', 10],
    ['人工智能', 10],
    ['Higher Education', -10],
    ['Non-profit Organization Management', -10],
    ['政府机构', -10],
    ['高校', -10],
    ['公益组织', -10],
    ['Retail', 0],
    ['制造业', 0],
  ] as const)('industry %j: %i', (industry, points) => {
    expect(fit({ industry }).fit).toBe(points)
  })
})

describe('numbers as Chinese forms write them', () => {
  it.each([
    ['5000万', 50_000_000],
    ['1.2亿', 120_000_000],
    ['¥3,000万元', 30_000_000],
    ['￥800元', 800],
    ['300人', 300],
    ['20名', 20],
    ['1，200', 1200],
    ['万', null],
    ['5人名', null],
    ['三百人', null],
  ] as const)('%j → %j', (text, n) => {
    expect(toNumber(text)).toBe(n)
  })
})
