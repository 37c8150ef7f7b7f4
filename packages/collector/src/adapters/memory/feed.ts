import type { FeedEntry } from '../../ports.js'
import { parseFeedId } from '../../hot-state/arguments.js'

interface Slot {
  ms: number
  seq: number
  entry: string
}

/** A capped, append-only feed: a ring buffer whose ids follow Redis stream ids (`<ms>-<seq>`). */
export interface MemoryFeed {
  append(entry: string, maxLen: number, nowMs: number): string
  read(afterId: string | null, limit: number): FeedEntry[]
}

const idOf = (s: Slot): string => `${s.ms}-${s.seq}`
const after = (s: Slot, ms: number, seq: number) => s.ms > ms || (s.ms === ms && s.seq > seq)

export function createMemoryFeed(): MemoryFeed {
  let slots: (Slot | undefined)[] = []
  let head = 0 // index of the oldest entry
  let size = 0
  let last = { ms: 0, seq: -1 }

  const at = (i: number) => slots[(head + i) % slots.length] as Slot

  // A new maxLen keeps the newest entries that fit; callers normally pass the same maxLen.
  function resize(capacity: number) {
    const keep = Math.min(size, capacity)
    const next: (Slot | undefined)[] = new Array(capacity)
    for (let i = 0; i < keep; i++) next[i] = at(size - keep + i)
    slots = next
    head = 0
    size = keep
  }

  return {
    append(entry, maxLen, nowMs) {
      if (slots.length !== maxLen) resize(maxLen)
      // Ids never go backwards, even when the clock does (Redis behaves the same way).
      const ms = Math.max(nowMs, last.ms)
      const seq = ms === last.ms ? last.seq + 1 : 0
      last = { ms, seq }
      const slot = { ms, seq, entry }
      if (size < slots.length) {
        slots[(head + size) % slots.length] = slot
        size++
      } else {
        slots[head] = slot
        head = (head + 1) % slots.length
      }
      return idOf(slot)
    },
    read(afterId, limit) {
      let from: number
      if (afterId === null) {
        from = Math.max(0, size - limit)
      } else {
        const { ms, seq } = parseFeedId(afterId)
        // Binary search for the first entry after the given id: entries are in id order.
        let lo = 0
        let hi = size
        while (lo < hi) {
          const mid = (lo + hi) >> 1
          if (after(at(mid), ms, seq)) hi = mid
          else lo = mid + 1
        }
        from = lo
      }
      const out: FeedEntry[] = []
      for (let i = from; i < size && out.length < limit; i++) {
        const s = at(i)
        out.push({ id: idOf(s), entry: s.entry })
      }
      return out
    },
  }
}
