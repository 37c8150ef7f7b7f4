import type { HotFeeds } from '../ports.js'
import type { LiveEntry } from './entry.js'
import { REPLAY_DEFAULTS, ReplayRing, type ReplayLimits } from './ring.js'
import { entryText } from './sse.js'

export type { LiveEntry } from './entry.js'

/** A live entry as a subscriber gets it, with its id (`<process epoch>-<seq>`, see below). */
export type Listener = (entry: LiveEntry, id: string) => void

/**
 * How a subscription starts. `fresh`: no `Last-Event-ID`, live from now on. `replay`: the entries
 * published since the id, still held, to send before the live ones. `reset`: the id is not one
 * this process can resume from (another process's, before a restart, malformed: `unknown`; older
 * than the buffer holds: `too_old`), so the client missed entries it cannot be given. `position`
 * is the id of the newest entry so far: where a reconnection without entries resumes from.
 */
export type LiveStart =
  | { kind: 'fresh'; position?: string }
  | { kind: 'replay'; position?: string; entries: { entry: LiveEntry; id: string }[] }
  | { kind: 'reset'; position?: string; reason: 'unknown' | 'too_old' }

const MAX_LEN = 1000
const POLL_MS = 250
/** A `Last-Event-ID` longer than this is not one of ours (ours are about 25 characters). */
const MAX_ID_LENGTH = 64

/** One watched workspace: its subscribers, its recent entries, its relay from other processes. */
interface Hub {
  listeners: Set<Listener>
  ring: ReplayRing<LiveEntry>
  stopPoll: () => void
  idle?: ReturnType<typeof setTimeout>
}

/** Lets a timer not hold the process open (Node); a no-op where timers are numbers. */
const unref = (t: unknown) => (t as { unref?: () => void } | undefined)?.unref?.()

/**
 * The live feed of a workspace: delivered at once to subscribers in this process, and through
 * the hot state's capped feed to subscribers in other collector processes (polled).
 *
 * Ids run on one sequence for the whole process, prefixed with a random epoch chosen when the feed
 * is created, so an id names one entry of one process's life. A workspace that has a subscriber
 * (or had one within `replay.idleMs`) keeps its recent entries in a bounded ring (live/ring.ts)
 * for subscribers that reconnect with `Last-Event-ID`; one nobody watches costs its publishers a
 * map lookup, nothing is kept for it.
 */
export function createLiveFeed(hot?: HotFeeds, replay: ReplayLimits = {}) {
  const limits = { ...REPLAY_DEFAULTS, ...replay }
  const origin = crypto.randomUUID()
  const epoch = origin.slice(0, 8)
  let seq = 0
  const hubs = new Map<string, Hub>()
  /** Hubs without a subscriber, longest idle first (a Map keeps insertion order). */
  const idle = new Map<string, Hub>()
  const stream = (ws: string) => `live:${ws}`
  const idOf = (n: number) => `${epoch}-${n}`

  function push(hub: Hub, entry: LiveEntry) {
    const n = ++seq
    // The text is made once and kept (live/sse.ts), so subscribers reuse it.
    hub.ring.push(n, entry, entryText(entry).length)
    const id = idOf(n)
    for (const l of hub.listeners) l(entry, id)
  }

  function local(workspaceId: string, entries: LiveEntry[]) {
    const hub = hubs.get(workspaceId)
    if (hub) for (const entry of entries) push(hub, entry)
  }

  /** Reads other processes' entries for the hub while it lives. */
  function relay(workspaceId: string, hub: () => Hub | undefined): () => void {
    if (!hot) return () => {}
    let last: string | null = null
    let primed = false
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      if (stopped) return
      try {
        const batch = await hot.feedRead(stream(workspaceId), last, 100)
        const h = hub()
        if (primed && h && !stopped) {
          for (const { entry } of batch) {
            const parsed = JSON.parse(entry) as { origin: string; entry: LiveEntry }
            if (parsed.origin !== origin) push(h, parsed.entry)
          }
        }
        if (batch.length > 0) last = batch[batch.length - 1]!.id
        primed = true
      } catch {
        // Hot state down: local delivery still works.
      }
      if (!stopped) unref((timer = setTimeout(poll, POLL_MS)))
    }
    unref((timer = setTimeout(poll, 0)))
    return () => {
      stopped = true
      if (timer) clearTimeout(timer)
    }
  }

  function drop(workspaceId: string, hub: Hub) {
    if (hub.idle) clearTimeout(hub.idle)
    hub.stopPoll()
    idle.delete(workspaceId)
    if (hubs.get(workspaceId) === hub) hubs.delete(workspaceId)
  }

  function hubOf(workspaceId: string): Hub {
    let hub = hubs.get(workspaceId)
    if (!hub) {
      const created: Hub = {
        listeners: new Set(),
        ring: new ReplayRing<LiveEntry>(seq, limits.maxEntries, limits.maxBytes),
        stopPoll: () => {},
      }
      created.stopPoll = relay(workspaceId, () =>
        hubs.get(workspaceId) === created ? created : undefined,
      )
      hubs.set(workspaceId, (hub = created))
    }
    if (hub.idle) clearTimeout(hub.idle)
    hub.idle = undefined
    idle.delete(workspaceId)
    return hub
  }

  /** Where a subscription with this `Last-Event-ID` starts (see {@link LiveStart}). */
  function startOf(hub: Hub, lastEventId: string | null | undefined): LiveStart {
    const position = idOf(seq)
    if (lastEventId === null || lastEventId === undefined) return { kind: 'fresh', position }
    const m =
      lastEventId.length <= MAX_ID_LENGTH ? /^([0-9a-f]{8})-(\d{1,15})$/.exec(lastEventId) : null
    const n = m ? Number(m[2]) : NaN
    if (!m || m[1] !== epoch || n > seq) return { kind: 'reset', position, reason: 'unknown' }
    const found = hub.ring.after(n)
    if (!found.ok) return { kind: 'reset', position, reason: 'too_old' }
    return {
      kind: 'replay',
      position,
      entries: found.items.map(({ seq: s, item }) => ({ entry: item, id: idOf(s) })),
    }
  }

  /**
   * Subscribes; with `lastEventId` (what the client last got, `Last-Event-ID`) it also says what
   * the client missed, taken at the same instant, so nothing falls between the replay and the
   * live entries and nothing comes twice. Never another workspace's entries: each workspace has
   * its own ring, and an id only says where in it to start.
   */
  function open(
    workspaceId: string,
    listener: Listener,
    lastEventId?: string | null,
  ): { stop: () => void; start: LiveStart } {
    const hub = hubOf(workspaceId)
    const start = startOf(hub, lastEventId)
    hub.listeners.add(listener)
    let stopped = false
    const stop = () => {
      if (stopped) return
      stopped = true
      hub.listeners.delete(listener)
      if (hub.listeners.size > 0 || hubs.get(workspaceId) !== hub) return
      // Kept a while for a reconnection; past the cap the longest idle go first.
      if (limits.idleMs <= 0) return drop(workspaceId, hub)
      hub.idle = setTimeout(() => drop(workspaceId, hub), limits.idleMs)
      unref(hub.idle)
      idle.set(workspaceId, hub)
      for (const [ws, h] of idle) {
        if (idle.size <= limits.maxIdleWorkspaces) break
        drop(ws, h)
      }
    }
    return { stop, start }
  }

  return {
    async publish(workspaceId: string, entries: LiveEntry[]): Promise<void> {
      local(workspaceId, entries)
      if (!hot) return
      await Promise.all(
        entries.map((e) =>
          hot.feedAppend(stream(workspaceId), JSON.stringify({ origin, entry: e }), MAX_LEN),
        ),
      ).catch(() => {
        // The feed is a convenience: losing it loses no data (the store has everything).
      })
    },

    /** Delivers entries to this process's subscribers only (log mode: every collector hears
     * processors' commits itself, so nothing goes through the hot state's feed). */
    deliver(workspaceId: string, entries: LiveEntry[]): void {
      local(workspaceId, entries)
    },

    /** How many subscribers of a workspace this process serves. */
    subscribers(workspaceId: string): number {
      return hubs.get(workspaceId)?.listeners.size ?? 0
    },

    /** Entries and SSE text held for resuming a workspace's streams (tests, metrics). */
    buffered(workspaceId: string): { entries: number; bytes: number } {
      const ring = hubs.get(workspaceId)?.ring
      return { entries: ring?.length ?? 0, bytes: ring?.size ?? 0 }
    },

    open,

    subscribe(workspaceId: string, listener: Listener): () => void {
      return open(workspaceId, listener).stop
    },

    /** Stops every relay and timer and forgets every buffer (shutdown). */
    close(): void {
      for (const [ws, hub] of [...hubs]) drop(ws, hub)
    },
  }
}

export type LiveFeed = ReturnType<typeof createLiveFeed>
