import type { HotFeeds, ScoreChange } from '../ports.js'
import type { SegmentTransition } from '../segments/live.js'

/** What the live stream carries. */
export type LiveEntry =
  | {
      kind: 'events'
      events: {
        messageId: string
        contactId: string
        type: string
        name: string | null
        /** A page or screen view's path (live/page-path.ts), else null; absent before it was sent. */
        path?: string | null
        timestamp: string
      }[]
    }
  | ({ kind: 'score' } & ScoreChange)
  | {
      kind: 'grade'
      event: 'Contact Grade Changed'
      contactId: string
      grade: string
      previousGrade: string | null
      total: number
      at: string
    }
  | ({ kind: 'segment' } & SegmentTransition)
  | {
      /** A lifecycle alert rule fired (see docs/lifecycle.md). */
      kind: 'alert'
      event: 'Alert Fired'
      id: string
      contactId: string
      ruleId: string
      /** The rule's kind, e.g. `satisfaction_below`. */
      alertKind: string
      name: string | null
      value: number | string
      message: string
      at: string
    }

type Listener = (entry: LiveEntry) => void

const MAX_LEN = 1000
const POLL_MS = 250

/**
 * The live feed of a workspace: delivered at once to subscribers in this process, and through
 * the hot state's capped feed to subscribers in other collector processes (polled).
 */
export function createLiveFeed(hot?: HotFeeds) {
  const origin = crypto.randomUUID()
  const listeners = new Map<string, Set<Listener>>()
  const stream = (ws: string) => `live:${ws}`

  return {
    async publish(workspaceId: string, entries: LiveEntry[]): Promise<void> {
      for (const entry of entries) for (const l of listeners.get(workspaceId) ?? []) l(entry)
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
      for (const entry of entries) for (const l of listeners.get(workspaceId) ?? []) l(entry)
    },

    /** How many subscribers of a workspace this process serves. */
    subscribers(workspaceId: string): number {
      return listeners.get(workspaceId)?.size ?? 0
    },

    subscribe(workspaceId: string, listener: Listener): () => void {
      const set = listeners.get(workspaceId) ?? new Set()
      set.add(listener)
      listeners.set(workspaceId, set)
      let last: string | null = null
      let primed = false
      let stopped = false
      const poll = async () => {
        if (stopped || !hot) return
        try {
          const batch = await hot.feedRead(stream(workspaceId), last, 100)
          if (primed) {
            for (const { entry } of batch) {
              const parsed = JSON.parse(entry) as { origin: string; entry: LiveEntry }
              if (parsed.origin !== origin) listener(parsed.entry)
            }
          }
          if (batch.length > 0) last = batch[batch.length - 1]!.id
          primed = true
        } catch {
          // Hot state down: local delivery still works.
        }
        if (!stopped) timer = setTimeout(poll, POLL_MS)
      }
      let timer: ReturnType<typeof setTimeout> | undefined = hot ? setTimeout(poll, 0) : undefined
      return () => {
        stopped = true
        if (timer) clearTimeout(timer)
        set.delete(listener)
        if (set.size === 0 && listeners.get(workspaceId) === set) listeners.delete(workspaceId)
      }
    },
  }
}

export type LiveFeed = ReturnType<typeof createLiveFeed>
