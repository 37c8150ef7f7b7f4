/**
 * Realistic Segment traffic as browsers send it: one visitor per request, batches of 1–20 events
 * (mostly small, as an SDK flushing every second or at 20 events produces), a mix of page views,
 * engagement and click tracks, forms and identify calls with full browser context.
 */

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
]
const PAGES = [
  ['/', 'Acme — Customer data for B2B teams'],
  ['/pricing', 'Pricing — Acme'],
  ['/features/scoring', 'Lead scoring — Acme'],
  ['/blog/intent-data-guide', 'A practical guide to intent data — Acme'],
  ['/blog/segment-migration', 'Moving off Segment in a day — Acme'],
  ['/demo', 'Book a demo — Acme'],
  ['/customers', 'Customers — Acme'],
  ['/docs/getting-started', 'Getting started — Acme Docs'],
] as const
const REFERRERS = [
  '',
  'https://www.google.com/',
  'https://www.linkedin.com/',
  'https://news.ycombinator.com/',
  'https://duckduckgo.com/',
]
const CAMPAIGNS = [
  '',
  '',
  '?utm_source=google&utm_medium=cpc&utm_campaign=spring-launch&utm_term=lead+scoring',
  '?utm_source=linkedin&utm_medium=social&utm_campaign=webinar-q3',
  '?utm_source=newsletter&utm_medium=email&utm_campaign=june-digest',
]
const TITLES = ['VP Marketing', 'Head of Growth', 'Marketing Manager', 'CTO', 'Student', 'Founder']
const INDUSTRIES = ['Software', 'Financial Services', 'Healthcare', 'Retail', 'Education']
const HOST = 'https://www.acme.example'

/** Batch sizes weighted towards small flushes, with a tail of full 20-event batches. */
const SIZE_WEIGHTS: [number, number][] = [
  [1, 30],
  [2, 14],
  [3, 11],
  [4, 8],
  [5, 7],
  [6, 5],
  [8, 5],
  [10, 4],
  [12, 3],
  [15, 3],
  [18, 2],
  [20, 8],
]
const SIZE_TABLE = SIZE_WEIGHTS.flatMap(([n, w]) => Array<number>(w).fill(n))

// Seeded so that every part of one run sends the same shape of traffic.
function createRandom(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface TrafficOptions {
  visitors?: number
  /** Distinguishes visitors of separate runs sharing one database. */
  tag?: string
  seed?: number
}

export interface GeneratedBatch {
  body: string
  events: number
  userAgent: string
}

/** A generator of request bodies; each call makes a new batch with fresh messageIds. */
export function createTraffic(opts: TrafficOptions = {}) {
  const visitors = opts.visitors ?? 10_000
  const tag = opts.tag ?? 'v'
  const rnd = createRandom(opts.seed ?? 42)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!
  let counter = 0

  function visitorContext(v: number, path: string, title: string) {
    const search = v % 7 === 0 ? pick(CAMPAIGNS) : ''
    const referrer = REFERRERS[v % REFERRERS.length]!
    const url = `${HOST}${path}${search}`
    return {
      page: { url, path, title, referrer, search },
      userAgent: USER_AGENTS[v % USER_AGENTS.length]!,
      locale: 'en-US',
      library: { name: '@lodestone/sdk', version: '0.1.0' },
    }
  }

  function event(v: number, at: string): Record<string, unknown> {
    const [path, title] = pick(PAGES)
    const context = visitorContext(v, path, title)
    const base = {
      anonymousId: `${tag}-anon-${v}`,
      messageId: `${tag}-${++counter}-${rnd()}`,
      timestamp: at,
      context,
    }
    const known = v % 3 === 0
    const r = rnd()
    if (r < 0.45) return { ...base, type: 'page', name: title, properties: { ...context.page } }
    if (r < 0.65) {
      const activeMs = Math.floor(rnd() * 120_000)
      return {
        ...base,
        type: 'track',
        event: 'Page Engaged',
        properties: { activeMs, maxScrollPercent: Math.floor(rnd() * 100) },
      }
    }
    if (r < 0.75) {
      return rnd() < 0.5
        ? {
            ...base,
            type: 'track',
            event: 'File Downloaded',
            properties: {
              url: `${HOST}/assets/whitepaper.pdf`,
              fileName: 'whitepaper.pdf',
              extension: 'pdf',
            },
          }
        : {
            ...base,
            type: 'track',
            event: 'Outbound Link Clicked',
            properties: { url: 'https://github.com/acme/sdk', domain: 'github.com' },
          }
    }
    const traits = {
      email: `person${v}@company${v % 2000}.example`,
      firstName: `Ada${v}`,
      lastName: 'Lovelace',
      company: `Company ${v % 2000}`,
      title: TITLES[v % TITLES.length],
      industry: INDUSTRIES[v % INDUSTRIES.length],
      teamSize: 5 + (v % 500),
    }
    if (r < 0.87 || !known) {
      return {
        ...base,
        type: 'track',
        event: 'Form Submitted',
        properties: {
          formId: 'contact-sales',
          formName: 'Contact sales',
          action: '/api/contact',
          fields: known
            ? { email: traits.email, company: traits.company }
            : { company: traits.company },
        },
      }
    }
    return {
      ...base,
      type: 'identify',
      ...(v % 10 === 0 ? { userId: `user-${tag}-${v}` } : {}),
      traits,
    }
  }

  return {
    next(): GeneratedBatch {
      const v = Math.floor(rnd() * visitors)
      const n = pick(SIZE_TABLE)
      const now = Date.now()
      const batch = []
      // Timestamps rise within a batch, a few hundred ms apart, ending a little before sending.
      for (let i = 0; i < n; i++) batch.push(event(v, new Date(now - (n - i) * 300).toISOString()))
      const body = JSON.stringify({ batch, sentAt: new Date(now).toISOString() })
      return { body, events: n, userAgent: USER_AGENTS[v % USER_AGENTS.length]! }
    },
    /** Mean events per batch of the size table. */
    meanBatchSize: SIZE_TABLE.reduce((a, b) => a + b, 0) / SIZE_TABLE.length,
  }
}
