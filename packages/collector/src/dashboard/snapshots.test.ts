import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { snapshotCache } from './snapshots.js'

describe('snapshotCache', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(Date.UTC(2026, 0, 1))
  })
  afterEach(() => vi.useRealTimers())

  /** A computation per call that takes `ms` of (fake) time and answers its call number. */
  function slowCompute(ms: number) {
    let calls = 0
    const compute = vi.fn(async () => {
      const n = ++calls
      vi.advanceTimersByTime(ms)
      return n
    })
    return compute
  }

  it('recomputes a cheap snapshot for every visit', async () => {
    const compute = slowCompute(10)
    const cache = snapshotCache(compute, { freshMs: 30_000, now: () => new Date() })
    expect((await cache.get('ws')).data).toBe(1)
    expect((await cache.get('ws')).data).toBe(2)
    expect(compute).toHaveBeenCalledTimes(2)
  })

  it('serves a slow snapshot while fresh, then once more while the next one is computed', async () => {
    const compute = slowCompute(2000)
    const cache = snapshotCache(compute, { freshMs: 30_000, now: () => new Date() })
    const first = await cache.get('ws')
    expect(first).toMatchObject({ data: 1, at: '2026-01-01T00:00:00.000Z' })
    vi.advanceTimersByTime(10_000)
    expect((await cache.get('ws')).data).toBe(1)
    expect(compute).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(30_000)
    // stale: this visit still sees the old figures, the next one the recomputed ones
    expect((await cache.get('ws')).data).toBe(1)
    await vi.waitFor(() => expect(compute).toHaveBeenCalledTimes(2))
    const second = await cache.get('ws')
    expect(second.data).toBe(2)
    expect(Date.parse(second.at)).toBeGreaterThan(Date.parse(first.at))
  })

  it('shares one computation between visitors and keeps workspaces apart', async () => {
    let release: (n: number) => void = () => {}
    const compute = vi.fn(
      (ws: string) => new Promise<string>((r) => (release = (n) => r(`${ws}:${n}`))),
    )
    const cache = snapshotCache(compute, { freshMs: 30_000, now: () => new Date() })
    const a = cache.get('a')
    const b = cache.get('a')
    release(1)
    expect((await a).data).toBe('a:1')
    expect((await b).data).toBe('a:1')
    expect(compute).toHaveBeenCalledTimes(1)
    const other = cache.get('b')
    release(7)
    expect((await other).data).toBe('b:7')
  })

  it('keeps the last snapshot when a recomputation fails', async () => {
    let fail = false
    const compute = vi.fn(async () => {
      vi.advanceTimersByTime(1000)
      if (fail) throw new Error('database gone')
      return 'ok'
    })
    const cache = snapshotCache(compute, { freshMs: 5000, now: () => new Date() })
    expect((await cache.get('ws')).data).toBe('ok')
    fail = true
    // 1 s of computing keeps it 20 s (longer than freshMs): not redone yet at 10 s
    vi.advanceTimersByTime(10_000)
    expect((await cache.get('ws')).data).toBe('ok')
    expect(compute).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(15_000)
    expect((await cache.get('ws')).data).toBe('ok')
    await vi.waitFor(() => expect(compute).toHaveBeenCalledTimes(2))
    expect((await cache.get('ws')).data).toBe('ok')
  })

  it('reports a first computation that fails to the visitor', async () => {
    const cache = snapshotCache(async () => Promise.reject(new Error('no')), {
      freshMs: 5000,
      now: () => new Date(),
    })
    await expect(cache.get('ws')).rejects.toThrow('no')
  })
})
