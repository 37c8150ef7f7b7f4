import type { RuleSet } from './rule-schema.js'
import { DECISION_MAKER_TITLES, titleConditions } from './titles.js'

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
        traits: {
          industry: {
            contains: [
              'software',
              'saas',
              'technology',
              'internet',
              'fintech',
              'financial services',
            ],
          },
        },
      },
    },
    {
      id: 'poor-fit-industry',
      name: 'Poor-fit industry (education, government, non-profit)',
      kind: 'fit',
      points: -10,
      conditions: {
        traits: {
          industry: {
            contains: ['education', 'academic', 'government', 'non-profit', 'nonprofit'],
          },
        },
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
      conditions: {
        anyOf: [
          { traits: { teamSize: { gte: 50, lte: 5_000 } } },
          { traits: { employees: { gte: 50, lte: 5_000 } } },
        ],
      },
    },
    {
      id: 'annual-revenue-in-range',
      name: 'Annual revenue $5M to $1B',
      kind: 'fit',
      points: 10,
      conditions: { traits: { annualRevenue: { gte: 5_000_000, lte: 1_000_000_000 } } },
    },
  ],
}
