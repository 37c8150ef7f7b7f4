/** A contact entering or leaving a segment, committed with the change that caused it. */
export interface SegmentTransition {
  event: 'Segment Entered' | 'Segment Exited'
  contactId: string
  segmentId: string
  segmentKey: string
  name: string
  at: string
}

/** Live stream entries of committed transitions. */
export const segmentEntries = (transitions: SegmentTransition[] = []) =>
  transitions.map((t) => ({ kind: 'segment' as const, ...t }))
