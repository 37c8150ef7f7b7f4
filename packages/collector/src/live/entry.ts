import type { ScoreChange } from '../ports.js'
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
      /** When the collector stored the batch (its clock); absent in entries from before it was sent. */
      at?: string
      /**
       * The batch's contacts whose score it changed: their `score` entries follow in the same
       * publish (dashboard/live-fold.ts folds only those). Absent in entries from before it was sent.
       */
      scored?: string[]
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
