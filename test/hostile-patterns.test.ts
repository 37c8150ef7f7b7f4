import { describe, expect, it } from 'vitest'
import { childProcesses, freshDatabase, spawnCollector } from './support/child-collector.js'

// Issue 14: one public request must never freeze the collector. Each case runs a real
// `lodestone start` process with rules holding the pathological patterns of the issue, sends
// the hostile input through the public ingest routes with the write key (or saves the rules over
// stored contacts), and meanwhile probes /health in a loop. A hang detector, not a timing test:
// every request and every probe must answer within HANG_MS, which is far above any honest answer
// on a loaded machine and far below what the backtracking regexes took (hours and more).

const HANG_MS = 20_000

const running = childProcesses()

const rule = (id: string, kind: 'fit' | 'engagement', conditions: object) => ({
  id,
  name: id,
  kind,
  points: 1,
  conditions,
})

const RULES = {
  halfLifeDays: null,
  grades: [{ name: 'cold' }],
  rules: [
    rule('title-regex', 'fit', { traits: { title: { matches: '^(a+)+$' } } }),
    rule('property-regex', 'engagement', { properties: { plan: { matches: '(x+x+)+y' } } }),
    rule('url-regex', 'engagement', { type: 'page', url: { regex: '^https://a\\.io/(a+)+$' } }),
    rule('url-stars', 'engagement', { type: 'page', url: '*a*a*a*a*a*a*a*a*a*a*a*a*b' }),
    rule('url-blog', 'engagement', { type: 'page', url: '*/blog/*/*/*/*/*/*/*/*/*/*/*/x*' }),
  ],
}

interface Collector {
  url: string
  writeKey: string
  secretKey: string
}

async function start(rules: object | null): Promise<Collector> {
  const db = await freshDatabase()
  running.cleanup(() => db.store.close())
  const child = await spawnCollector(db.url)
  running.track(child)
  const c = { url: child.url, writeKey: db.workspace.writeKey, secretKey: db.workspace.secretKey }
  if (rules) expect((await putRules(c, rules)).status).toBe(200)
  return c
}

/** A request that must answer within HANG_MS; a hang fails the test with its name. */
async function answer(what: string, url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(HANG_MS) })
  } catch (err) {
    throw new Error(`${what} did not answer within ${HANG_MS / 1000} s: ${String(err)}`)
  }
}

const putRules = (c: Collector, rules: object) =>
  answer('PUT /v1/scoring/rules', `${c.url}/v1/scoring/rules`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${c.secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(rules),
  })

const ingest = (c: Collector, route: 'identify' | 'page' | 'track', body: object) =>
  answer(`POST /v1/${route}`, `${c.url}/v1/${route}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${c.writeKey}:`)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  })

/** Runs `work` while probing /health; every probe must answer 200 within HANG_MS. */
async function whileProbingHealth<T>(c: Collector, work: () => Promise<T>): Promise<T> {
  let done = false
  let probes = 0
  const probing = (async () => {
    while (!done) {
      const res = await answer('GET /health', `${c.url}/health`)
      expect(res.status).toBe(200)
      await res.body?.cancel()
      probes++
      await new Promise((r) => setTimeout(r, 100))
    }
  })()
  try {
    const result = await Promise.race([work(), probing.then(() => never<T>())])
    done = true
    await probing
    expect(probes).toBeGreaterThan(0)
    return result
  } finally {
    done = true
  }
}

const never = <T>() => new Promise<T>(() => {})

async function contactTotal(c: Collector, anonymousId: string): Promise<number> {
  const res = await answer('lookup', `${c.url}/v1/contacts/lookup?anonymousId=${anonymousId}`, {
    headers: { authorization: `Bearer ${c.secretKey}` },
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { score: { total: number } }).score.total
}

const A32 = 'a'.repeat(32) + '!'

describe('pathological patterns against a real collector', () => {
  it.each([
    ['identify', 'traits.title', { type: 'identify', traits: { title: A32 } }],
    ['track', 'properties.plan', { event: 'Signed Up', properties: { plan: 'x'.repeat(5000) } }],
    ['page', 'url.regex', { properties: { url: 'https://a.io/' + A32 } }],
    ['page', 'a glob of stars', { properties: { url: 'https://' + 'a'.repeat(64) } }],
    ['page', 'the blog glob', { properties: { url: 'https://a.io' + '/blog/b'.repeat(300) } }],
  ] as const)('POST /v1/%s meeting %s answers, /health keeps answering', async (route, _, body) => {
    const c = await start(RULES)
    const anonymousId = `hostile-${route}`
    const res = await whileProbingHealth(c, () => ingest(c, route, { ...body, anonymousId }))
    expect(res.status).toBe(200)
    expect(await contactTotal(c, anonymousId)).toBe(0)
  })

  it('a rules save whose rescore meets stored backtracking values answers', async () => {
    const c = await start(null)
    for (const [route, body] of [
      ['identify', { traits: { title: A32 } }],
      ['page', { properties: { url: 'https://' + 'a'.repeat(64) } }],
    ] as const) {
      expect((await ingest(c, route, { ...body, anonymousId: 'stored' })).status).toBe(200)
    }
    const res = await whileProbingHealth(c, () => putRules(c, RULES))
    expect(res.status).toBe(200)
    expect(((await res.json()) as { rescored: number }).rescored).toBeGreaterThan(0)
    expect(await contactTotal(c, 'stored')).toBe(0)
  })

  it('the patterns still match what they describe', async () => {
    const c = await start(RULES)
    const sends = [
      ['identify', { traits: { title: 'aaaa' } }],
      ['track', { event: 'Signed Up', properties: { plan: 'xxy' } }],
      ['page', { properties: { url: 'https://a.io/aaa' } }],
      ['page', { properties: { url: 'https://' + 'a'.repeat(12) + 'b' } }],
      ['page', { properties: { url: 'https://b.io/blog' + '/p'.repeat(11) + '/x1' } }],
    ] as const
    for (const [route, body] of sends) {
      expect((await ingest(c, route, { ...body, anonymousId: 'honest' })).status).toBe(200)
    }
    // One point from each rule: title, plan, url-regex, url-stars, url-blog.
    expect(await contactTotal(c, 'honest')).toBe(5)
  })
})
