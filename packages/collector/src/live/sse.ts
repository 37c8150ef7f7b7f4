import type { LiveEntry } from './feed.js'

/** The SSE event name of a live entry: its kind, or for a grade change the event it names. */
export const sseEvent = (entry: LiveEntry): string =>
  entry.kind === 'grade' ? entry.event : entry.kind

/**
 * One message as hono's `writeSSE({ event, data: JSON.stringify(value), id })` writes it: event
 * names are fixed words and JSON text holds no line breaks, so `data` is one line. Several of
 * them joined go out in one `stream.write` (one socket write instead of one per entry).
 */
export function sseText(event: string, value: unknown, id?: number): string {
  return `event: ${event}\ndata: ${JSON.stringify(value)}\n${id === undefined ? '' : `id: ${id}\n`}\n`
}
