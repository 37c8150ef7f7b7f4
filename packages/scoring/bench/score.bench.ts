// Micro-benchmark of the scoring engine with the default rules, in memory.
// Run: npx tsx packages/scoring/bench/score.bench.ts   (prints figures; asserts nothing)
import { DEFAULT_RULES, createScorer, type ScoreState, type ScoringEvent } from '../src/index.js'

const CONTACTS = Number(process.env.CONTACTS ?? 100_000)
const EVENTS_PER_CONTACT = 20
const T0 = Date.UTC(2025, 0, 6, 9)
const MINUTE = 60_000

const scorer = createScorer(DEFAULT_RULES)
const PAGES = ['/', '/pricing', '/features/sync', '/blog/post', '/demo', '/careers', '/docs']

// A deterministic pseudo-random visit history, so runs are comparable.
function history(contact: number): ScoringEvent[] {
  let seed = contact * 2654435761
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0
    return seed % n
  }
  let time = T0 + rand(20 * 24 * 60) * MINUTE
  const events: ScoringEvent[] = []
  for (let i = 0; i < EVENTS_PER_CONTACT; i++) {
    time += (rand(10) < 8 ? rand(5) : rand(3000)) * MINUTE + 1000
    const url = `https://acme.io${PAGES[rand(PAGES.length)]}`
    const timestamp = new Date(time).toISOString()
    const messageId = `c${contact}-${i}`
    const kind = rand(10)
    if (kind < 6) events.push({ type: 'page', properties: { url }, timestamp, messageId })
    else if (kind < 9) {
      const properties = { activeMs: rand(120_000), maxScrollPercent: rand(100) }
      const context = { page: { url } }
      events.push({
        type: 'track',
        event: 'Page Engaged',
        properties,
        context,
        timestamp,
        messageId,
      })
    } else {
      const context = { page: { url: 'https://acme.io/webinar/q3' } }
      events.push({ type: 'track', event: 'Form Submitted', context, timestamp, messageId })
    }
  }
  return events
}

function time<T>(label: string, count: number, unit: string, run: () => T): T {
  const start = performance.now()
  const result = run()
  const ms = performance.now() - start
  const rate = Math.round((count / ms) * 1000).toLocaleString('en-US')
  console.log(`${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${rate.padStart(11)} ${unit}/s`)
  return result
}

const histories = Array.from({ length: CONTACTS }, (_, i) => history(i))
const allEvents = CONTACTS * EVENTS_PER_CONTACT
const traits = { title: 'VP Marketing', industry: 'SaaS', teamSize: '120', budget: '25k' }
const now = T0 + 40 * 24 * 60 * MINUTE

console.log(
  `scoring bench: ${DEFAULT_RULES.rules.length} default rules, ${CONTACTS.toLocaleString('en-US')} contacts × ${EVENTS_PER_CONTACT} events`,
)
time('createScorer (validate + compile) ×1000', 1000, 'scorers', () => {
  for (let i = 0; i < 1000; i++) createScorer(DEFAULT_RULES)
})
const states = time('applyEvent, folded per contact', allEvents, 'events', () => {
  const out: ScoreState[] = []
  for (const events of histories) {
    let state: ScoreState | null = null
    for (const event of events) state = scorer.applyEvent(state, event).state
    out.push(state!)
  }
  return out
})
time('replay (sort + fold) per contact', allEvents, 'events', () => {
  for (const events of histories) scorer.replay(events)
})
const stored = states.map((s) => JSON.stringify(s))
console.log(
  `state size: mean ${Math.round(stored.reduce((n, s) => n + s.length, 0) / CONTACTS)} bytes of JSON`,
)
time(`score ${CONTACTS.toLocaleString('en-US')} stored states`, CONTACTS, 'contacts', () => {
  for (const state of states) scorer.score(state, traits, now)
})
time(
  `rescore ${CONTACTS.toLocaleString('en-US')} contacts (JSON.parse + score)`,
  CONTACTS,
  'contacts',
  () => {
    for (const json of stored) scorer.score(JSON.parse(json) as ScoreState, traits, now)
  },
)
time(
  `full rescore ${CONTACTS.toLocaleString('en-US')} contacts from events`,
  CONTACTS,
  'contacts',
  () => {
    for (const events of histories) scorer.score(scorer.replay(events), traits, now)
  },
)
