/**
 * The segments' own `Segment Entered` / `Exited` events (segments-eval.ts writes them, messageId
 * `segment:<segment id>:<contact id>:<seq>`), as a SQL condition on `events`. Ingest never folds
 * them into a score or a count window, so replays and back-fills leave them out with this. A
 * client's event is never taken for one: its messageId is its own to choose, and a page view a
 * client named `segment:…` counts in a back-fill as it did at ingest.
 */
export const OWN_SEGMENT_EVENT = `(message_id like 'segment:%' and type = 'track'
  and coalesce(event, '') in ('Segment Entered', 'Segment Exited'))`
