import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { BACKENDS, openTestStore, type TestStore } from '../test-support/stores.js'
import { MAX_STORED_CHARS, snapshotCache, type SharedSnapshots } from './snapshots.js'
import { createApp } from '../app.js'
import { featurePorts } from '../test-support/app.js'
import { dashboardClient } from '../test-support/dashboard.js'
import type { Store } from '../ports.js'

// Whole-workspace figures stored in PostgreSQL (migration 0015, adapters/postgres/
// snapshot-store.ts): each cache below stands for one collector process (its own memory and
// lease holder) over the same database.

describe.each(BACKENDS)('snapshots shared between processes (%s)', (backend) => {
  let store: TestStore
  let ws = ''
  let kinds = 0
  /** A kind of figures of its own per test, so tests do not see each other's rows. */
  const kind = () => `test-${++kinds}`

  beforeAll(async () => {
    store = await openTestStore(backend)
    ws = (await store.createWorkspace({ name: 'Snapshots' })).id
  })
  afterAll(() => store.close())

  /** A "process": its own cache over the shared store, computing with `compute`. */
  function processCache<T>(
    name: string,
    k: string,
    compute: (key: string) => Promise<T>,
    opts: { freshMs?: number; leaseMs?: number; waitMs?: number } = {},
  ) {
    const shared: SharedSnapshots = {
      store: store.snapshots,
      kind: k,
      holder: name,
      pollMs: 20,
      leaseMs: opts.leaseMs ?? 10_000,
    }
    // waitMs 0 unless told: every computation counts as slow (a large workspace)
    return snapshotCache(compute, {
      freshMs: opts.freshMs ?? 60_000,
      now: () => new Date(),
      waitMs: opts.waitMs ?? 0,
      shared,
    })
  }
  const slow =
    <T>(value: T, ms = 30) =>
    async () => {
      await new Promise((r) => setTimeout(r, ms))
      return value
    }

  it('a second process shows the stored snapshot without computing it', async () => {
    const k = kind()
    const a = processCache('a', k, vi.fn(slow({ contacts: 7, at: 'first' })))
    const computeB = vi.fn(slow({ contacts: 99, at: 'second' }))
    const b = processCache('b', k, computeB)
    const first = await a.get(ws)
    expect(first.data).toEqual({ contacts: 7, at: 'first' })
    const seen = await b.get(ws)
    expect(seen).toMatchObject({ at: first.at, data: { contacts: 7, at: 'first' } })
    expect(computeB).not.toHaveBeenCalled()
    // stored with when it was computed
    expect(await store.snapshots.read(k, ws)).toMatchObject({
      at: first.at,
      data: { contacts: 7, at: 'first' },
    })
  })

  it('only one process computes at a time; the others wait for its figures', async () => {
    const k = kind()
    let running = 0
    let most = 0
    const calls: string[] = []
    const compute = (name: string) => async () => {
      calls.push(name)
      running++
      most = Math.max(most, running)
      await new Promise((r) => setTimeout(r, 150))
      running--
      return { by: name }
    }
    const caches = ['a', 'b', 'c'].map((n) => processCache(n, k, compute(n)))
    const got = await Promise.all(caches.map((c) => c.get(ws)))
    expect(calls).toHaveLength(1)
    expect(most).toBe(1)
    const by = (got[0]!.data as { by: string }).by
    expect(calls).toEqual([by])
    for (const g of got) expect(g.data).toEqual({ by })
  })

  it('a page does not wait for a slow first computation: null, then the figures', async () => {
    const k = kind()
    const a = processCache('a', k, slow('figures', 300))
    expect(await a.within(ws, 20)).toBeNull()
    // another process, meanwhile: the lease is held, nothing stored yet
    const b = processCache('b', k, vi.fn(slow('other')))
    expect(await b.within(ws, 20)).toBeNull()
    await vi.waitFor(async () => expect((await a.within(ws, 20))?.data).toBe('figures'), {
      timeout: 5000,
    })
    expect((await b.within(ws, 1000))?.data).toBe('figures')
  })

  it('a stale snapshot is recomputed behind the page and every process then sees the new one', async () => {
    const k = kind()
    let n = 0
    const a = processCache(
      'a',
      k,
      async () => {
        await new Promise((r) => setTimeout(r, 2))
        return ++n
      },
      { freshMs: 100 },
    )
    const computeB = vi.fn(slow(-1))
    const b = processCache('b', k, computeB, { freshMs: 100 })
    const first = await a.get(ws)
    expect(first.data).toBe(1)
    expect((await b.get(ws)).data).toBe(1)
    // past freshMs and 20 times what the computation took (kept that long when slower)
    await new Promise((r) => setTimeout(r, 1000))
    // stale: this visit still sees 1, the recomputation runs behind it
    expect((await a.get(ws)).data).toBe(1)
    await vi.waitFor(async () => expect((await store.snapshots.read(k, ws))?.data).toBe(2))
    const stored = await store.snapshots.read(k, ws)
    expect(Date.parse(stored!.at)).toBeGreaterThan(Date.parse(first.at))
    // process b's copy is stale too: it reads the newer stored one instead of computing
    await new Promise((r) => setTimeout(r, 120))
    expect((await b.get(ws)).data).toBe(2)
    expect(computeB).not.toHaveBeenCalled()
  })

  it('a lease left by a process that died expires, then another process computes', async () => {
    const k = kind()
    expect(await store.snapshots.claim(ws, k, ws, 'dead', 200)).toBe(true)
    expect(await store.snapshots.claim(ws, k, ws, 'other', 200)).toBe(false)
    const compute = vi.fn(slow('mine', 1))
    const a = processCache('a', k, compute, { leaseMs: 200 })
    expect(await a.within(ws, 50)).toBeNull()
    expect(compute).not.toHaveBeenCalled()
    await new Promise((r) => setTimeout(r, 400))
    await expect(a.get(ws)).resolves.toMatchObject({ data: 'mine' })
    expect(compute).toHaveBeenCalledTimes(1)
  })

  it('a small workspace gets fresh figures on every visit, in every process at once', async () => {
    const k = kind()
    let n = 0
    const quick = async () => ++n
    const a = processCache('a', k, quick, { waitMs: 250 })
    const b = processCache('b', k, quick, { waitMs: 250 })
    expect((await a.get(ws)).data).toBe(1)
    // both processes at the same moment: each computes its own, neither waits for a lease
    const [x, y] = await Promise.all([a.get(ws), b.get(ws)])
    expect([x.data, y.data].sort()).toEqual([2, 3])
    expect((await b.get(ws)).data).toBe(4)
    expect((await a.get(ws)).data).toBe(5)
  })

  it('figures too large to store stay in the process that computed them', async () => {
    const k = kind()
    const huge = 'x'.repeat(MAX_STORED_CHARS)
    const a = processCache('a', k, slow({ ids: huge }, 1))
    expect(((await a.get(ws)).data as { ids: string }).ids).toHaveLength(MAX_STORED_CHARS)
    expect(await store.snapshots.read(k, ws)).toBeNull()
    // the lease was given back: another process computes its own
    const computeB = vi.fn(slow({ ids: 'b' }, 1))
    const b = processCache('b', k, computeB)
    expect((await b.get(ws)).data).toEqual({ ids: 'b' })
    expect(computeB).toHaveBeenCalledTimes(1)
    expect(await store.snapshots.read(k, ws)).toMatchObject({ data: { ids: 'b' } })
  })

  it('a failed computation gives the lease back', async () => {
    const k = kind()
    const a = processCache('a', k, async () => Promise.reject(new Error('database gone')))
    await expect(a.get(ws)).rejects.toThrow('database gone')
    expect(await store.snapshots.claim(ws, k, ws, 'b', 1000)).toBe(true)
  })
})

describe.each(BACKENDS)('overview page over stored snapshots (%s)', (backend) => {
  let store: TestStore
  beforeAll(async () => {
    store = await openTestStore(backend)
  })
  afterAll(() => store.close())

  /** A collector "process": its own app (own caches, own session secret) over the store. */
  async function processApp(overview: Store['dashboardOverview']) {
    const app = createApp({
      store: { ...store, dashboardOverview: overview },
      ...featurePorts(store),
      clock: { now: () => new Date() },
      config: {},
    })
    const client = dashboardClient(app)
    return { app, client }
  }

  it('a slow first overview says it is computing (both languages); a second process shows the stored one at once', async () => {
    const ws = await store.createWorkspace({ name: 'Large' })
    let computed = 0
    // 3 s: slower than a page waits (a large workspace)
    const slowOverview: Store['dashboardOverview'] = async (id, opts) => {
      computed++
      await new Promise((r) => setTimeout(r, 3000))
      return store.dashboardOverview(id, opts)
    }
    const a = await processApp(slowOverview)
    expect((await a.client.signIn(ws.secretKey)).status).toBe(303)
    const cookie = [...a.client.jar].map(([k, v]) => `${k}=${v}`).join('; ')
    const first = await a.app.request('http://localhost/app', {
      headers: { cookie, 'accept-language': 'zh-CN' },
    })
    expect(first.status).toBe(200)
    const zh = await first.text()
    expect(zh).toContain('data-computing="1"')
    expect(zh).toContain('正在为整个工作区计算这些数据')
    const en = await (await a.client.get('/app')).text()
    expect(en).toContain('data-computing="1"')
    expect(en).toContain('Computing these figures for your whole workspace')
    let ready = ''
    await vi.waitFor(
      async () => {
        ready = await (await a.client.get('/app')).text()
        expect(ready).not.toContain('data-computing')
      },
      { timeout: 10_000, interval: 200 },
    )
    expect(computed).toBe(1)
    const asOf = (html: string) => /As of ([^(<]+)\(/.exec(html)?.[1]
    expect(asOf(ready)).toBeTruthy()

    const secondComputes = vi.fn(slowOverview)
    const b = await processApp(secondComputes)
    expect((await b.client.signIn(ws.secretKey)).status).toBe(303)
    const shown = await (await b.client.get('/app')).text()
    expect(shown).not.toContain('data-computing')
    // the figures the first process computed, with their time
    expect(asOf(shown)).toBe(asOf(ready))
    expect(secondComputes).not.toHaveBeenCalled()
  })
})
