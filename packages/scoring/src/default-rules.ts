import type { FitConditions } from './condition-schema.js'
import type { PredicateObject } from './predicate-schema.js'
import type { RuleSet } from './rule-schema.js'
import { DECISION_MAKER_TITLES, titleConditions } from './titles.js'

// Fit rules read contact traits and account traits alike (an account's fit is the workspace's
// fit rules over its `group` traits, docs/accounts.md), under the names Segment's specs and
// common CRMs use. English words match as words or text; Chinese as text (no word breaks).

const TARGET_INDUSTRIES = {
  en: [
    'software',
    'saas',
    'technology',
    'internet',
    'information technology',
    'it services',
    'cloud computing',
    'artificial intelligence',
    'fintech',
    'financial services',
    'banking',
  ],
  zh: ['软件', '互联网', '信息技术', '科技', '云计算', '人工智能', '企业服务', '金融'],
}

const POOR_FIT_INDUSTRIES = {
  en: [
    'education',
    'academic',
    'government',
    'public sector',
    'non-profit',
    'nonprofit',
    'charity',
  ],
  zh: ['教育', '学校', '高校', '大学', '政府', '事业单位', '非营利', '公益', '慈善'],
}

// Head-count bands as forms and data providers write them ("51-200", "1,001-5,000",
// "10001+", "1K-5K", "100-499人", "10000人以上", "1万人以上", "少于10人"), placed by their
// lower bound (upper bound for "fewer than"). Plain numbers are tested as numbers instead.
const TO = '\\s*(?:人|名)?\\s*(?:-|–|—|~|～|到|至|to\\b|\\+|以上|or more)'
const SIZE_BANDS = {
  midMarket: `^\\s*(?:5\\d|[6-9]\\d|[1-9]\\d{2}|[1-4],?\\d{3}|[1-4](?:\\.\\d)?k)${TO}`,
  enterprise: `^\\s*(?:[5-9],?\\d{3}|[1-9]\\d{1,2},?\\d{3}|[1-9]\\d{0,2},\\d{3},\\d{3}|[5-9](?:\\.\\d)?k|[1-9]\\d{1,2}(?:\\.\\d)?k|[1-9]\\d*(?:\\.\\d+)?万)${TO}`,
  micro:
    '^\\s*(?:[0-9]\\s*(?:-|–|—|~|～|到|至|to)\\s*(?:[1-9]|10)\\s*(?:人|名|people|employees)?\\s*$' +
    '|(?:<|less than|fewer than|under|少于|不足)\\s*(?:[1-9]|10)\\b|(?:[1-9]|10)\\s*人以下)',
}
const SIZE_TRAITS = ['employees', 'teamSize', 'employeeCount']

const companySize = (range: PredicateObject, band: string): FitConditions => ({
  anyOf: SIZE_TRAITS.flatMap((t) => [
    { traits: { [t]: range } },
    { traits: { [t]: { matches: band } } },
  ]),
})

// Plans (Segment's `plan` trait) by tier; enterprise tiers are paid too, so they earn both.
const ENTERPRISE_PLANS = {
  en: ['enterprise', 'business', 'premium', 'ultimate'],
  zh: ['企业版', '旗舰版', '商业版', '尊享版'],
}
const PAID_PLANS = {
  en: [
    ...ENTERPRISE_PLANS.en,
    'pro',
    'professional',
    'team',
    'growth',
    'scale',
    'standard',
    'plus',
    'starter',
    'basic',
    'paid',
  ],
  zh: [...ENTERPRISE_PLANS.zh, '专业版', '团队版', '高级版', '标准版', '基础版', '付费'],
}
const plan = (names: { en: string[]; zh: string[] }): FitConditions => ({
  anyOf: [
    { traits: { plan: { containsWord: names.en } } },
    { traits: { plan: { contains: names.zh } } },
  ],
})

// `country` or Segment's `address.country`: names in English and Chinese and ISO codes.
const TARGET_COUNTRIES = [
  ...['China', 'Mainland China', "People's Republic of China", 'PRC', 'CN', 'CHN'],
  ...['中国', '中国大陆', '中华人民共和国', '大陆'],
  ...['Hong Kong', 'HK', '香港', '中国香港', 'Taiwan', 'TW', '台湾', '中国台湾'],
  ...['Macau', 'Macao', 'MO', '澳门', '中国澳门'],
  ...['United States', 'United States of America', 'USA', 'US', 'America', '美国'],
  ...['Canada', 'CA', '加拿大'],
  ...['United Kingdom', 'UK', 'GB', 'Great Britain', 'England', '英国'],
  ...['Germany', 'Deutschland', 'DE', '德国', 'France', 'FR', '法国'],
  ...['Netherlands', 'NL', '荷兰', 'Japan', 'JP', '日本'],
  ...['Singapore', 'SG', '新加坡', 'Australia', 'AU', '澳大利亚'],
]

// Annual revenue as a number (`$5M`, `5,000,000`, `5000万`, `1.2亿`: see values.ts), from the
// trait names CRMs use.
const revenue = (range: PredicateObject): FitConditions => ({
  anyOf: [{ traits: { annualRevenue: range } }, { traits: { revenue: range } }],
})

/**
 * Lodestone's starting rule set: common B2B practice, plain JSON (`JSON.stringify` it to get
 * the document `PUT /v1/scoring/rules` takes). Workspaces copy and tune it.
 *
 * @example
 * const scorer = createScorer(DEFAULT_RULES)
 */
export const DEFAULT_RULES: RuleSet = {
  version: 1,
  halfLifeDays: 30,
  grades: [{ name: 'cold' }, { name: 'warm', min: 20 }, { name: 'hot', min: 50 }],
  rules: [
    // Engagement: what they do.
    {
      id: 'webinar-registration',
      name: 'Registered for a webinar',
      kind: 'engagement',
      points: 15,
      conditions: {
        anyOf: [
          { type: 'track', event: 'Webinar Registered' },
          { type: 'track', event: 'Form Submitted', url: '*/webinar*' },
        ],
      },
      caps: { perDay: 1 },
    },
    {
      id: 'content-download',
      name: 'Downloaded a whitepaper or ebook',
      kind: 'engagement',
      points: 10,
      conditions: {
        type: 'track',
        event: 'File Downloaded',
        anyOf: [
          {
            properties: {
              fileName: {
                contains: ['whitepaper', 'white-paper', 'ebook', 'e-book', 'guide', 'report'],
              },
            },
          },
          {
            properties: {
              url: {
                contains: ['whitepaper', 'white-paper', 'ebook', 'e-book', 'guide', 'report'],
              },
            },
          },
        ],
      },
      caps: { perDay: 2 },
    },
    {
      id: 'demo-request',
      name: 'Requested a demo',
      kind: 'engagement',
      points: 30,
      conditions: {
        anyOf: [
          { type: 'track', event: ['Demo Requested', 'Contact Sales Requested'] },
          { type: 'track', event: 'Form Submitted', url: '*/demo*' },
        ],
      },
      caps: { perWeek: 1 },
    },
    {
      id: 'pricing-page',
      name: 'Viewed the pricing page',
      kind: 'engagement',
      points: 10,
      conditions: { type: 'page', url: '*/pricing*' },
      caps: { perDay: 1 },
    },
    {
      id: 'pricing-page-repeat',
      name: 'Came back to pricing 3+ times in a week',
      kind: 'engagement',
      points: 15,
      conditions: { type: 'page', url: '*/pricing*', count: { atLeast: 3, within: '7d' } },
      caps: { perWeek: 1 },
    },
    {
      id: 'demo-page',
      name: 'Viewed the demo page',
      kind: 'engagement',
      points: 8,
      conditions: { type: 'page', url: '*/demo*' },
      caps: { perDay: 1 },
    },
    {
      id: 'feature-pages',
      name: 'Viewed a feature or product page',
      kind: 'engagement',
      points: 3,
      conditions: { type: 'page', anyOf: [{ url: '*/features*' }, { url: '*/product*' }] },
      caps: { perDay: 3 },
    },
    {
      id: 'long-active-time',
      name: 'Read a page for over a minute',
      kind: 'engagement',
      points: 5,
      conditions: {
        type: 'track',
        event: 'Page Engaged',
        properties: { activeMs: { gte: 60_000 } },
      },
      caps: { perDay: 3 },
    },
    {
      id: 'deep-visit',
      name: 'Viewed 5+ pages in one visit',
      kind: 'engagement',
      points: 8,
      conditions: { type: 'page', count: { atLeast: 5, within: 'session' } },
      caps: { perDay: 1 },
    },
    {
      id: 'live-chat',
      name: 'Started a live chat',
      kind: 'engagement',
      points: 5,
      conditions: { type: 'track', event: 'Chat Started' },
      caps: { perDay: 1 },
    },
    {
      id: 'very-short-visit',
      name: 'Very short visit (under 10 seconds on a page)',
      kind: 'engagement',
      points: -3,
      conditions: {
        type: 'track',
        event: 'Page Engaged',
        properties: { activeMs: { lt: 10_000 } },
      },
      caps: { perDay: 2 },
    },
    {
      id: 'single-page-visit',
      name: 'Left after one page without interacting',
      kind: 'engagement',
      points: -2,
      conditions: {
        count: {
          fewerThan: 2,
          within: 'session',
          of: {
            anyOf: [
              { type: 'page' },
              {
                type: 'track',
                event: ['Form Submitted', 'File Downloaded', 'Chat Started', 'Webinar Registered'],
              },
            ],
          },
        },
      },
      caps: { perDay: 1 },
    },
    {
      id: 'careers-page',
      name: 'Looked at job openings (likely a job seeker)',
      kind: 'engagement',
      points: -10,
      conditions: { type: 'page', anyOf: [{ url: '*/careers*' }, { url: '*/jobs*' }] },
      caps: { once: true },
    },
    // Fit: who they are.
    {
      id: 'decision-maker',
      name: 'Decision-maker role',
      kind: 'fit',
      points: 20,
      conditions: titleConditions(DECISION_MAKER_TITLES),
    },
    {
      id: 'non-decision-maker',
      name: 'Student, intern or trainee',
      kind: 'fit',
      points: -15,
      conditions: {
        anyOf: [
          {
            traits: {
              title: { containsWord: ['Student', 'Intern', 'Internship', 'Trainee', 'Apprentice'] },
            },
          },
          { traits: { title: { contains: ['学生', '实习', '培训生', '学徒'] } } },
        ],
      },
    },
    {
      id: 'target-industry',
      name: 'Target industry (software, tech, financial services)',
      kind: 'fit',
      points: 10,
      conditions: {
        anyOf: [
          { traits: { industry: { contains: TARGET_INDUSTRIES.en } } },
          { traits: { industry: { contains: TARGET_INDUSTRIES.zh } } },
        ],
      },
    },
    {
      id: 'poor-fit-industry',
      name: 'Poor-fit industry (education, government, non-profit)',
      kind: 'fit',
      points: -10,
      conditions: {
        anyOf: [
          { traits: { industry: { contains: POOR_FIT_INDUSTRIES.en } } },
          { traits: { industry: { contains: POOR_FIT_INDUSTRIES.zh } } },
        ],
      },
    },
    {
      id: 'budget-in-range',
      name: 'Budget of $10k or more',
      kind: 'fit',
      points: 15,
      conditions: { traits: { budget: { gte: 10_000 } } },
    },
    {
      id: 'budget-too-small',
      name: 'Budget under $2k',
      kind: 'fit',
      points: -15,
      conditions: { traits: { budget: { lt: 2_000 } } },
    },
    {
      id: 'team-size-in-range',
      name: 'Company of 50 to 5,000 people',
      kind: 'fit',
      points: 10,
      conditions: companySize({ gte: 50, lte: 5_000 }, SIZE_BANDS.midMarket),
    },
    {
      id: 'company-size-enterprise',
      name: 'Enterprise of over 5,000 people',
      kind: 'fit',
      points: 15,
      conditions: companySize({ gt: 5_000 }, SIZE_BANDS.enterprise),
    },
    {
      id: 'company-size-micro',
      name: 'Company of fewer than 10 people',
      kind: 'fit',
      points: -10,
      conditions: companySize({ gte: 1, lt: 10 }, SIZE_BANDS.micro),
    },
    {
      id: 'paid-plan',
      name: 'On a paid plan',
      kind: 'fit',
      points: 10,
      conditions: plan(PAID_PLANS),
    },
    {
      id: 'enterprise-plan',
      name: 'On an enterprise plan (on top of paid)',
      kind: 'fit',
      points: 5,
      conditions: plan(ENTERPRISE_PLANS),
    },
    {
      id: 'trial-plan',
      name: 'On a free trial',
      kind: 'fit',
      points: 5,
      conditions: plan({ en: ['trial', 'trialing', 'trialling'], zh: ['试用'] }),
    },
    {
      id: 'target-market',
      name: 'In a target market (Greater China, North America, UK, EU core, Japan, Singapore, Australia)',
      kind: 'fit',
      points: 5,
      conditions: {
        anyOf: [
          { traits: { country: { in: TARGET_COUNTRIES } } },
          { traits: { 'address.country': { in: TARGET_COUNTRIES } } },
        ],
      },
    },
    {
      id: 'annual-revenue-in-range',
      name: 'Annual revenue $5M to $1B',
      kind: 'fit',
      points: 10,
      conditions: revenue({ gte: 5_000_000, lte: 1_000_000_000 }),
    },
    {
      id: 'annual-revenue-large',
      name: 'Annual revenue over $1B',
      kind: 'fit',
      points: 15,
      conditions: revenue({ gt: 1_000_000_000 }),
    },
    {
      id: 'annual-revenue-small',
      name: 'Annual revenue under $1M',
      kind: 'fit',
      points: -5,
      conditions: revenue({ gt: 0, lt: 1_000_000 }),
    },
  ],
}
