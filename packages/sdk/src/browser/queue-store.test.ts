import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LodestoneEvent } from '../core/types.js'
import { fakeLockManager, fakeStorage, settle } from '../test-support/fakes.js'
import { createQueueStore, STALE_MS } from './queue-store.js'

const ev = (id: string): LodestoneEvent => ({
  type: 'track',
  event: 'x',
  messageId: id,
  anonymousId: 'a',
})
const stored = (ls: Storage) =>
  Object.keys(Object.fromEntries((ls as ReturnType<typeof fakeStorage>).data)).filter((k) =>
    k.startsWith('lodestone_q:'),
  )

afterEach(() => vi.useRealTimers())

describe('cross-tab queue ownership with Web Locks', () => {
  it('a live tab keeps its queue; when it dies exactly one other tab adopts it', async () => {
    const ls = fakeStorage()
    const locks = fakeLockManager()
    const a = createQueueStore({ writeKey: 'wk', storage: ls, locks: locks.forTab('A') })
    a.start(() => {})
    a.save([ev('1'), ev('2')])
    await settle()

    const adoptedB: LodestoneEvent[] = []
    const adoptedC: LodestoneEvent[] = []
    const b = createQueueStore({ writeKey: 'wk', storage: ls, locks: locks.forTab('B') })
    const c = createQueueStore({ writeKey: 'wk', storage: ls, locks: locks.forTab('C') })
    b.start((e) => {
      adoptedB.push(...e)
      b.save(e)
    })
    c.start((e) => {
      adoptedC.push(...e)
      c.save(e)
    })
    await settle()
    expect(adoptedB.length + adoptedC.length).toBe(0) // A is alive: its events are its own

    locks.kill('A') // A's document is gone (reload or close)
    await settle()
    const ids = [...adoptedB, ...adoptedC].map((e) => e.messageId)
    expect(ids).toEqual(['1', '2'])
    expect(stored(ls)).toHaveLength(1) // A's key is gone; the adopter holds the events
  })

  it('ignores queues of another write key', async () => {
    const ls = fakeStorage()
    const locks = fakeLockManager()
    createQueueStore({ writeKey: 'wk_other', storage: ls, locks: locks.forTab('A') }).save([
      ev('1'),
    ])
    locks.kill('A')
    const adopt = vi.fn()
    createQueueStore({ writeKey: 'wk', storage: ls, locks: locks.forTab('B') }).start(adopt)
    await settle()
    expect(adopt).not.toHaveBeenCalled()
  })
})

describe('cross-tab queue ownership without Web Locks', () => {
  it('takes a released queue at once, a live one never, a silent one once stale', async () => {
    vi.useFakeTimers()
    const ls = fakeStorage()
    const released = createQueueStore({ writeKey: 'wk', storage: ls, locks: null })
    released.save([ev('r')])
    released.release()
    const live = createQueueStore({ writeKey: 'wk', storage: ls, locks: null })
    live.save([ev('live')])
    // a tab that crashed without pagehide: its record just stops being refreshed
    ls.setItem('lodestone_q:wk:crashed-tab', JSON.stringify({ t: Date.now(), e: [ev('crashed')] }))
    const adopted: string[] = []
    const me = createQueueStore({ writeKey: 'wk', storage: ls, locks: null })
    me.start((e) => adopted.push(...e.map((x) => String(x.messageId))))
    expect(adopted).toEqual(['r'])
    await vi.advanceTimersByTimeAsync(STALE_MS + 1000)
    expect(adopted).toEqual(['r', 'crashed']) // `live` kept its heartbeat fresh
  })
})

describe('persisted queue under storage pressure', () => {
  // Pitfall (rudder-sdk-js 3211, 2494): quota errors and Safari's restricted storage broke
  // queues. Here a full store keeps the newest events that fit and never throws.
  it('persists the newest events that fit when the quota is hit', () => {
    const ls = fakeStorage(2000)
    const qs = createQueueStore({ writeKey: 'wk', storage: ls, locks: null })
    const events = Array.from({ length: 40 }, (_, i) => ev(`event-${i}`))
    expect(() => qs.save(events)).not.toThrow()
    const [key] = stored(ls)
    const kept = JSON.parse(ls.getItem(key!)!).e as LodestoneEvent[]
    expect(kept.length).toBeGreaterThan(0)
    expect(kept.length).toBeLessThan(40)
    expect(kept[kept.length - 1]!.messageId).toBe('event-39')
  })

  it('an empty queue leaves nothing behind', () => {
    const ls = fakeStorage()
    const qs = createQueueStore({ writeKey: 'wk', storage: ls, locks: null })
    qs.save([ev('1')])
    qs.save([])
    expect(stored(ls)).toEqual([])
  })
})
