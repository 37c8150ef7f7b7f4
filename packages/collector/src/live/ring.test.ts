import { describe, expect, it } from 'vitest'
import { createLiveFeed, type LiveEntry } from './feed.js'
import { ReplayRing } from './ring.js'

const seqs = (r: ReturnType<ReplayRing<string>['after']>) =>
  r.ok ? r.items.map((i) => i.seq) : null

describe('ReplayRing', () => {
  it('gives the entries after a seq, oldest first; from its floor, everything', () => {
    const ring = new ReplayRing<string>(10, 5, 1_000)
    for (const s of [11, 13, 14]) ring.push(s, `e${s}`, 10)
    expect(seqs(ring.after(10))).toEqual([11, 13, 14])
    expect(seqs(ring.after(12))).toEqual([13, 14])
    expect(seqs(ring.after(14))).toEqual([])
    expect(ring.after(13)).toEqual({ ok: true, items: [{ seq: 14, item: 'e14' }] })
    // Before it was created it knows nothing: the caller must say entries were missed.
    expect(ring.after(9)).toEqual({ ok: false })
  })

  it('keeps at most maxEntries, evicting the oldest; a resume before an evicted one is refused', () => {
    const ring = new ReplayRing<string>(0, 3, 1_000_000)
    for (let s = 1; s <= 10; s++) ring.push(s, `e${s}`, 1)
    expect(ring.length).toBe(3)
    expect(ring.size).toBe(3)
    expect(seqs(ring.after(7))).toEqual([8, 9, 10])
    expect(ring.after(6)).toEqual({ ok: false })
    expect(ring.oldestResumable).toBe(7)
  })

  it('keeps at most maxBytes of text, whichever cap comes first', () => {
    const ring = new ReplayRing<string>(0, 100, 100)
    for (let s = 1; s <= 10; s++) ring.push(s, `e${s}`, 30)
    expect(ring.length).toBe(3)
    expect(ring.size).toBe(90)
    expect(seqs(ring.after(7))).toEqual([8, 9, 10])
    expect(ring.after(5).ok).toBe(false)
  })

  it('an entry bigger than maxBytes is not held, and nothing before it can be resumed', () => {
    const ring = new ReplayRing<string>(0, 10, 100)
    ring.push(1, 'small', 10)
    ring.push(2, 'huge', 101)
    ring.push(3, 'after', 10)
    expect(ring.length).toBe(1)
    expect(ring.after(1).ok).toBe(false)
    expect(seqs(ring.after(2))).toEqual([3])
  })

  it('stays bounded and in order over many wraps', () => {
    const ring = new ReplayRing<string>(0, 7, 1_000)
    for (let s = 1; s <= 1_000; s++) {
      ring.push(s * 2, `e${s}`, 1 + (s % 13))
      expect(ring.length).toBeLessThanOrEqual(7)
      expect(ring.size).toBeLessThanOrEqual(1_000)
    }
    const all = seqs(ring.after(ring.oldestResumable))!
    expect(all).toEqual([1988, 1990, 1992, 1994, 1996, 1998, 2000])
  })
})

describe("the feed's idle buffers", () => {
  const entry: LiveEntry = {
    kind: 'events',
    events: [{ messageId: 'm', contactId: 'c', type: 'track', name: 'x', timestamp: '' }],
  }

  it('keeps at most maxIdleWorkspaces buffers without a subscriber, the longest idle forgotten first', () => {
    const feed = createLiveFeed(undefined, { idleMs: 60_000, maxIdleWorkspaces: 2 })
    for (const ws of ['a', 'b', 'c']) {
      const stop = feed.subscribe(ws, () => {})
      void feed.publish(ws, [entry])
      stop()
    }
    expect(['a', 'b', 'c'].map((ws) => feed.buffered(ws).entries)).toEqual([0, 1, 1])
    // A watched workspace is not idle: the cap counts the others.
    const watching = feed.subscribe('b', () => {})
    const stop = feed.subscribe('d', () => {})
    void feed.publish('d', [entry])
    stop()
    const held = () => ['b', 'c', 'd'].map((ws) => feed.buffered(ws).entries)
    expect(held()).toEqual([1, 1, 1])
    // Idle again, b makes three: the longest idle, c, is forgotten.
    watching()
    expect(held()).toEqual([1, 0, 1])
    feed.close()
  })
})
