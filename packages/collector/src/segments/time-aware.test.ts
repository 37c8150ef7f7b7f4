import { describe, expect, it } from 'vitest'
import { BACKENDS, closingStores } from '../test-support/stores.js'
import { createTestApp } from '../test-support/app.js'
import { createTimeSweeper } from './sweeper.js'
import type { LiveEntry } from '../live/feed.js'

// Scores as of now (docs/scoring.md, "Scores as of now"): with a one-minute half-life, the
// list, its order, the API and the profile agree at every moment, and a grade lost to decay
// alone is announced once by the sweep, as an event would announce it.

const MINUTE = 60_000
const RULES = {
  halfLifeDays: 1 / 1440,
  grades: [{ name: 'cold' }, { name: 'warm', min: 20 }, { name: 'hot', min: 50 }],
  rules: [
    {
      id: 'pricing',
      name: 'Pricing',
      kind: 'engagement',
      points: 40,
      conditions: { type: 'page', url: '*/pricing*' },
    },
    {
      id: 'demo',
      name: 'Demo',
      kind: 'engagement',
      points: 60,
      conditions: { type: 'track', event: 'Demo Requested' },
    },
    {
      id: 'vp',
      name: 'VP',
      kind: 'fit',
      points: 15,
      conditions: { traits: { title: { containsWord: ['VP'] } } },
    },
    {
      id: 'intern',
      name: 'Intern',
      kind: 'engagement',
      points: -30,
      conditions: { type: 'track', event: 'Applied' },
    },
  ],
}

const stores = closingStores()

describe.each(BACKENDS)('time-aware scores (%s)', (backend) => {
  it('list order, API order and profiles agree as decay goes on; decay crossings fire once', async () => {
    const store = await stores.open(backend)
    let now = Date.parse('2026-03-02T10:00:00Z')
    const t = await createTestApp(store, () => new Date(now))
    expect((await t.put('/v1/scoring/rules', RULES)).status).toBe(200)
    const live: LiveEntry[] = []
    t.live.subscribe(t.ws.id, (e) => live.push(e))
    const batch = []
    for (let i = 0; i < 40; i++) {
      const at = new Date(now - (i % 7) * 20_000).toISOString()
      batch.push({
        type: 'identify',
        anonymousId: `a${i}`,
        messageId: `i${i}`,
        timestamp: at,
        traits: { title: i % 3 === 0 ? 'VP Sales' : 'Engineer', email: `p${i}@x${i}.test` },
      })
      if (i % 2 === 0)
        batch.push({
          type: 'page',
          anonymousId: `a${i}`,
          messageId: `p${i}`,
          timestamp: at,
          properties: { url: 'https://a.io/pricing' },
        })
      if (i % 5 === 0)
        batch.push({
          type: 'track',
          event: 'Demo Requested',
          anonymousId: `a${i}`,
          messageId: `d${i}`,
          timestamp: at,
        })
      if (i % 4 === 1)
        batch.push({
          type: 'track',
          event: 'Applied',
          anonymousId: `a${i}`,
          messageId: `n${i}`,
          timestamp: at,
        })
    }
    expect((await t.post('/v1/batch', { batch })).status).toBe(200)
    const sweeper = createTimeSweeper({
      port: t.segments,
      deps: { live: t.live, clock: { now: () => new Date(now) } },
    })

    const check = async () => {
      const all: { id: string; score: { total: number; grade: string } }[] = []
      let cursor: string | null = null
      do {
        const res = await t.get(
          `/v1/contacts?sort=score&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        )
        const page = (await res.json()) as { contacts: typeof all; next: string | null }
        all.push(...page.contacts)
        cursor = page.next
      } while (cursor)
      expect(all).toHaveLength(40)
      const totals = all.map((c) => c.score.total)
      expect(totals).toEqual([...totals].sort((a, b) => b - a))
      for (const c of all.filter((_, i) => i % 5 === 0)) {
        const profile = (await (await t.get(`/v1/contacts/${c.id}`)).json()) as typeof c
        expect(profile.score.total).toBe(c.score.total)
        expect(profile.score.grade).toBe(c.score.grade)
      }
      // Filtered (the dashboard's query, through the API and the store, both directions): the
      // same contacts in the same order as the unfiltered list, scores equal.
      const vps = all.filter((c) => vpIds.has(c.id))
      const filtered = await pages('/v1/contacts?sort=score&trait=title&value=VP%20Sales&limit=4')
      expect(filtered.map((c) => c.id)).toEqual(vps.map((c) => c.id))
      expect(filtered.map((c) => c.score.total)).toEqual(vps.map((c) => c.score.total))
      const asc = await store.searchContacts(t.ws.id, {
        trait: { name: 'title', value: 'vp sales' },
        asc: true,
        limit: 100,
        now: new Date(now),
      })
      expect(asc.contacts.map((c) => c.id)).toEqual(vps.map((c) => c.id).reverse())
      // The export writes the score as of now too (docs/lifecycle.md).
      const exported = (await (await t.get('/v1/contacts/export?format=json')).json()) as {
        contacts: { id: string; total: number; grade: string }[]
      }
      expect(exported.contacts).toHaveLength(40)
      const listed = new Map(all.map((c) => [c.id, c.score]))
      for (const c of exported.contacts)
        expect({ total: c.total, grade: c.grade }).toEqual({
          total: listed.get(c.id)!.total,
          grade: listed.get(c.id)!.grade,
        })
      const warmUp = await pages('/v1/contacts?sort=score&scoreMin=20&limit=5')
      expect(warmUp.map((c) => c.id)).toEqual(
        all.filter((c) => c.score.total >= 20).map((c) => c.id),
      )
      return all
    }
    const pages = async (path: string) => {
      const out: { id: string; score: { total: number; grade: string } }[] = []
      let cursor: string | null = null
      do {
        const res = await t.get(`${path}${cursor ? `&cursor=${cursor}` : ''}`)
        expect(res.status).toBe(200)
        const page = (await res.json()) as { contacts: typeof out; next: string | null }
        out.push(...page.contacts)
        cursor = page.next
      } while (cursor)
      return out
    }
    const vpIds = new Set<string>()
    for (let i = 0; i < 40; i += 3) {
      const res = await t.get(`/v1/contacts/lookup?anonymousId=a${i}`)
      vpIds.add(((await res.json()) as { id: string }).id)
    }
    const first = await check()
    expect(first.filter((c) => c.score.grade === 'hot').length).toBeGreaterThan(0)
    const gradeEvents = () => live.filter((e) => e.kind === 'grade').length
    const before = gradeEvents()
    for (const step of [1, 1, 2, 5]) {
      now += step * MINUTE
      await sweeper.tick()
      await check()
    }
    const fired = live.filter((e) => e.kind === 'grade')
    expect(fired.length).toBeGreaterThan(before)
    // each contact's decay crossings: once per grade step, never repeated by another tick
    await sweeper.tick()
    await sweeper.tick()
    expect(gradeEvents()).toBe(fired.length)
    const last = await check()
    const byId = new Map(last.map((c) => [c.id, c.score.grade]))
    const lastFired = new Map<string, string>()
    for (const e of fired) if (e.kind === 'grade') lastFired.set(e.contactId, e.grade)
    for (const [id, grade] of lastFired) expect(byId.get(id)).toBe(grade)
    // negative engagement rises back: interns end at their fit, nobody is hot any more
    expect(last.every((c) => c.score.grade !== 'hot')).toBe(true)
  }, 180_000)
})
