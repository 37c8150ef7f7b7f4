/** Segment's documented limits; the collector answers 413 past them. */
export const MAX_EVENT_BYTES = 32 * 1024
export const MAX_REQUEST_BYTES = 500 * 1024
export const MAX_BATCH_EVENTS = 2500

/** Bounds that keep one hostile event from costing more than its size suggests. */
export const MAX_ID_LENGTH = 512
export const MAX_EVENT_NAME_LENGTH = 512
export const MAX_NESTING_DEPTH = 32
