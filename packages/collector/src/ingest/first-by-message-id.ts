import type { EnrichedEvent } from '../ports.js'

/**
 * The one rule for a repeated messageId (README, "Send events"): the first copy seen is stored
 * and credited, later copies are duplicates. First in a request, first in a group-committed
 * batch (requests in arrival order, see adapters/postgres/group-commit.ts), first committed
 * across requests (the events table's unique key). A `new Map(events.map(...))` would keep the
 * last copy instead.
 * @example firstByMessageId([{ messageId: 'm', … 'a' }, { messageId: 'm', … 'b' }]) // [the 'a' copy]
 */
export function firstByMessageId<E extends Pick<EnrichedEvent, 'messageId'>>(
  events: readonly E[],
): E[] {
  const seen = new Set<string>()
  return events.filter((e) => !seen.has(e.messageId) && Boolean(seen.add(e.messageId)))
}
