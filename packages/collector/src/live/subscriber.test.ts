import { afterEach, describe, expect, it, vi } from 'vitest'
import { SSEStreamingApi } from 'hono/streaming'
import { createLiveFeed, type LiveEntry } from './feed.js'
import { sseEvent, sseText } from './sse.js'
import {
  LIVE_STREAM_DEFAULTS,
  serveSubscriber,
  type LiveStreamLimits,
  type SubscriberState,
} from './subscriber.js'

// The subscriber loop over hono's own SSE stream and the real in-process feed. The "client" is
// whoever reads the stream's response body: a test that does not read it is a subscriber that
// stopped reading (after the first message, hono's stream takes no more: each write waits).

const WS = 'ws-sub'
const at = '2026-12-07T12:00:00.000Z'
const entry = (i: number, pad = 0): LiveEntry => ({
  kind: 'events',
  events: [
    { messageId: `m${i}`, contactId: 'c1', type: 'track', name: 'x'.repeat(pad), timestamp: at },
  ],
})
/** The feed's epoch (live/feed.ts) in the ids of the last subscriber made. */
let epoch = ''
const text = (i: number, e: LiveEntry) => sseText(sseEvent(e), e, `${epoch}-${i}`)
/** A fresh start's `ready`: it carries the position (nothing published yet: 0). */
const ready = () => sseText('ready', { at }, `${epoch}-0`)
const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Serves one subscriber the way `GET /v1/stream` does; `render` may be replaced. */
function subscriber(limits: LiveStreamLimits = {}, render?: (items: string[]) => Promise<string>) {
  // No replay buffer kept after the last subscriber (its timer is the feed's, live/ring.test.ts
  // and subscriber.http.test.ts test it): the timers counted here are the subscriber's own.
  const feed = createLiveFeed(undefined, { idleMs: 0 })
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>()
  const stream = new SSEStreamingApi(writable, readable)
  let state!: SubscriberState
  let cuts = 0
  const served = serveSubscriber(stream, {
    subscribe: (listener) => {
      const opened = feed.open(WS, listener)
      epoch = opened.start.position!.split('-')[0]!
      return opened
    },
    ready: { at },
    accept: (e, id) => {
      const item = sseText(sseEvent(e), e, id)
      return { item, size: item.length }
    },
    render: render ?? ((items) => items.join('')),
    cut: () => void cuts++,
    limits: { ...limits, observe: (s) => (state = s) },
  })
  const reader = stream.responseReadable.getReader()
  const decoder = new TextDecoder()
  /** The client reads one chunk (one write of the loop); null at the end of the response. */
  const read = async () => {
    const { value, done } = await reader.read()
    return done ? null : decoder.decode(value)
  }
  const readToEnd = async () => {
    const chunks: string[] = []
    for (let c = await read(); c !== null; c = await read()) chunks.push(c)
    return chunks
  }
  return { feed, stream, served, read, readToEnd, state: () => state, cuts: () => cuts }
}

const overflowData = (chunk: string) => {
  expect(chunk).toMatch(/^event: overflow\ndata: .*\n\n$/)
  return JSON.parse(chunk.split('\n')[1]!.slice('data: '.length)) as {
    dropped: number
    limit: { entries: number; bytes: number }
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('serveSubscriber', () => {
  it('gives a subscriber that reads every entry in order, a write per batch that queued', async () => {
    const s = subscriber({ maxEntries: 5 })
    expect(await s.read()).toBe(ready())
    const sent: string[] = []
    let n = 0
    for (let round = 0; round < 10; round++) {
      // Three entries published at once queue together and go out in one write.
      const batch = [entry(++n), entry(++n), entry(++n)]
      await s.feed.publish(WS, batch)
      const expected = batch.map((e, i) => text(n - 2 + i, e)).join('')
      expect(await s.read()).toBe(expected)
      sent.push(expected)
    }
    // 30 entries through a cap of 5: a reader that keeps up is never dropped.
    expect(s.state()).toMatchObject({ status: 'open', dropped: 0, queued: 0, subscribed: true })
    expect(s.state().peakQueued).toBe(3)
    expect(s.feed.subscribers(WS)).toBe(1)
    s.stream.abort()
    await s.served
    expect(s.state()).toMatchObject({ status: 'closed', subscribed: false })
    expect(s.feed.subscribers(WS)).toBe(0)
  })

  it('drops a subscriber that stops reading at the entry cap: overflow with the count, then the end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }) // to count them; none fires
    const s = subscriber({ maxEntries: 5 })
    expect(await s.read()).toBe(ready())
    // The client reads nothing more. Hono's response stream holds one chunk ahead of its
    // reader: entry 1 goes there, entry 2 into a write that cannot finish, 3–7 queue.
    for (let i = 1; i <= 40; i++) {
      await s.feed.publish(WS, [entry(i)])
      await tick()
      expect(s.state().queued).toBeLessThanOrEqual(5)
    }
    expect(s.state()).toMatchObject({
      status: 'overflow',
      subscribed: false,
      peakQueued: 5,
      dropped: 6, // entries 3–8: five queued and the one that did not fit; 9–40 never came
      queued: 0,
      writing: 1, // entry 2, handed to the stream before the client stopped
    })
    expect(s.feed.subscribers(WS)).toBe(0)
    // A client that reads again gets what the stream was handed, the overflow, then the end.
    const chunks = await s.readToEnd()
    expect(chunks.slice(0, 2)).toEqual([text(1, entry(1)), text(2, entry(2))])
    expect(overflowData(chunks[2]!)).toEqual({
      dropped: 6,
      limit: { entries: 5, bytes: LIVE_STREAM_DEFAULTS.maxBytes },
    })
    expect(chunks).toHaveLength(3)
    await s.served
    expect(s.state().writing).toBe(0)
    expect(s.cuts()).toBe(0)
    expect(vi.getTimerCount()).toBe(0) // the grace went when the client took the end
  })

  it('counts the SSE text against the byte cap', async () => {
    const s = subscriber({ maxBytes: 3_000 })
    await s.read()
    for (let i = 1; i <= 10; i++) {
      await s.feed.publish(WS, [entry(i, 1_000)]) // about 1,100 characters of SSE text each
      await tick()
      expect(s.state().queuedBytes).toBeLessThanOrEqual(3_000)
    }
    // Entry 1 ahead in the stream, 2 in the write, 3 and 4 queued (about 2,240 characters):
    // entry 5 does not fit, and 3–5 are dropped.
    expect(s.state()).toMatchObject({ status: 'overflow', dropped: 3, peakQueued: 2 })
    expect(s.state().peakQueuedBytes).toBe(text(3, entry(3, 1_000)).length * 2)
    const chunks = await s.readToEnd()
    expect(overflowData(chunks.at(-1)!)).toEqual({
      dropped: 3,
      limit: { entries: LIVE_STREAM_DEFAULTS.maxEntries, bytes: 3_000 },
    })
  })

  it('drops a batch still being prepared with the rest, and never writes it', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const s = subscriber({ maxEntries: 3 }, async (items) => {
      await gate // the dashboard labels and translates a batch before writing it
      return items.join('')
    })
    await s.read()
    await s.feed.publish(WS, [entry(1)])
    await tick() // entry 1 taken, its preparation waiting
    expect(s.state().writing).toBe(1)
    await s.feed.publish(WS, [entry(2), entry(3), entry(4), entry(5)])
    // 2–4 queued, 5 did not fit: dropped with entry 1, whose batch was not yet written.
    expect(s.state()).toMatchObject({ status: 'overflow', dropped: 5, queued: 0, writing: 0 })
    release()
    const chunks = await s.readToEnd()
    expect(chunks).toHaveLength(1)
    expect(overflowData(chunks[0]!).dropped).toBe(5)
    await s.served
  })

  it('unsubscribes when preparing a batch fails', async () => {
    const s = subscriber({}, () => Promise.reject(new Error('labels unavailable')))
    await s.read()
    await s.feed.publish(WS, [entry(1)])
    await expect(s.served).rejects.toThrow('labels unavailable')
    expect(s.state()).toMatchObject({ status: 'closed', subscribed: false, writing: 0 })
    expect(s.feed.subscribers(WS)).toBe(0)
  })

  it('cuts a dropped client that never reads again after the grace, leaving no timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const s = subscriber({ maxEntries: 2, dropGraceMs: 1_000 })
    await s.read()
    for (let i = 1; i <= 6; i++) {
      await s.feed.publish(WS, [entry(i)])
      await tick()
    }
    expect(s.state().status).toBe('overflow')
    expect(s.cuts()).toBe(0)
    expect(vi.getTimerCount()).toBe(1) // the grace; the heartbeat went with the first entry
    await vi.advanceTimersByTimeAsync(1_000)
    expect(s.cuts()).toBe(1)
    expect(s.stream.aborted).toBe(true)
    await s.served // the write that waited for the client failed with the abort
    expect(vi.getTimerCount()).toBe(0)
    expect(s.feed.subscribers(WS)).toBe(0)
  })

  it('pings a quiet subscriber and leaves no timer once it goes away', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const s = subscriber({ heartbeatMs: 15_000 })
    await s.read()
    await tick()
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(15_000)
    expect(await s.read()).toBe('event: ping\ndata: {}\n\n')
    s.stream.abort()
    await s.served
    expect(vi.getTimerCount()).toBe(0)
    expect(s.state()).toMatchObject({ status: 'closed', subscribed: false })
    expect(s.feed.subscribers(WS)).toBe(0)
  })
})
