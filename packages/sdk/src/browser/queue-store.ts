import { readJson } from '../core/json.js'
import type { Log, QueueStore } from '../core/ports.js'
import type { LodestoneEvent } from '../core/types.js'
import { uuid } from '../core/uuid.js'
import { DEBUG_TEXT } from '../core/debug-text.js'

export interface QueueStoreOptions {
  writeKey: string
  storage: Storage
  /** `navigator.locks`; without it ownership falls back to heartbeats. */
  locks?: LockManager | null
  log?: Log
}

interface Stored {
  /** Last write (heartbeat), ms. */
  t: number
  /** Released on pagehide: free to take at once. */
  r?: 1
  e: LodestoneEvent[]
}

/** Without Web Locks: a queue untouched this long belongs to a tab that is gone. */
export const STALE_MS = 10_000
const HEARTBEAT_MS = 3_000

/**
 * Each tab persists its queue under its own key and owns it for its lifetime, so no two tabs
 * ever send the same stored event. A tab takes over a queue only when its owner is gone:
 * with Web Locks, each tab holds a lock named after its key until the document dies, and a
 * taker waits for that lock (the browser grants it to one taker at a time); without them, the
 * owner's pagehide release or a heartbeat older than STALE_MS says it is gone.
 *
 * @example
 * const qs = createQueueStore({ writeKey, storage: localStorage, locks: navigator.locks })
 * qs.start((events) => queue.restore(events))
 */
export const createQueueStore = (o: QueueStoreOptions): QueueStore => {
  const prefix = `lodestone_q:${o.writeKey}:`
  const own = prefix + uuid()
  const locks = o.locks
  const seen = new Set<string>([own])
  let last: LodestoneEvent[] = []
  let beat: ReturnType<typeof setInterval> | undefined
  let adopt: ((events: LodestoneEvent[]) => void) | undefined

  // Hold our own lock until the document goes away; the browser releases it then.
  locks?.request(own, () => new Promise<never>(() => {})).catch(() => {})

  const write = (events: LodestoneEvent[], released = false) => {
    last = events
    if (!events.length) return remove(own)
    // Over quota: keep the newest half, then a quarter…; memory still holds everything.
    for (let keep = events; keep.length; keep = keep.slice(Math.ceil(keep.length / 2))) {
      try {
        const rec: Stored = { t: Date.now(), e: keep }
        if (released) rec.r = 1
        o.storage.setItem(own, JSON.stringify(rec))
        return
      } catch (err) {
        o.log?.(DEBUG_TEXT && 'storage write failed; persisting fewer events', err)
      }
    }
  }

  const remove = (key: string) => {
    try {
      o.storage.removeItem(key)
    } catch {
      // blocked storage: nothing to remove
    }
  }

  const take = (key: string) => {
    const rec = readJson<Stored | null>(o.storage.getItem(key), null)
    // The adopter saves our own key before theirs goes: a crash in between duplicates
    // (the collector dedupes by messageId) but never loses.
    if (rec && Array.isArray(rec.e) && rec.e.length) adopt?.(rec.e)
    remove(key)
  }

  const scan = () => {
    try {
      const keys: string[] = []
      for (let i = 0; i < o.storage.length; i++) {
        const k = o.storage.key(i)
        if (k?.startsWith(prefix) && !seen.has(k)) keys.push(k)
      }
      for (const key of keys) {
        if (locks) {
          seen.add(key)
          locks.request(key, () => take(key)).catch(() => seen.delete(key))
        } else {
          const rec = readJson<Stored | null>(o.storage.getItem(key), null)
          if (!rec || rec.r || Date.now() - rec.t > STALE_MS) take(key)
        }
      }
    } catch (err) {
      o.log?.(DEBUG_TEXT && 'queue scan failed', err)
    }
  }

  return {
    start(fn) {
      adopt = fn
      scan()
      // A predecessor that crashed without a pagehide turns stale later.
      if (!locks) setTimeout(scan, STALE_MS + 1000)
    },
    save(events) {
      write(events)
      // Without locks a live owner must keep its heartbeat fresh while it holds events.
      if (!locks && events.length && !beat) beat = setInterval(() => write(last), HEARTBEAT_MS)
      if (!events.length && beat) {
        clearInterval(beat)
        beat = undefined
      }
    },
    release() {
      if (!locks) write(last, true)
    },
  }
}
