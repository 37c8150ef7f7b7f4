import type { Context } from 'hono'

/**
 * Where a reconnecting live-stream client resumes from: the `Last-Event-ID` header EventSource
 * sends by itself, else a `lastEventId` query parameter for clients that cannot set headers.
 * Whatever it holds is only compared with the feed's ids (live/feed.ts), never echoed: one that
 * is not ours gets a `reset` message rather than an error, since EventSource gives up on a 4xx.
 */
export function lastEventIdOf(c: Context): string | null {
  const header = c.req.header('last-event-id')
  if (header !== undefined && header !== '') return header
  const query = c.req.query('lastEventId')
  return query !== undefined && query !== '' ? query : null
}
