import type { LiveEntry } from './entry.js'

/** The SSE event name of a live entry: its kind, or for a grade change the event it names. */
export const sseEvent = (entry: LiveEntry): string =>
  entry.kind === 'grade' ? entry.event : entry.kind

/**
 * One message as hono's `writeSSE({ event, data, id })` writes it: event names are fixed words
 * and JSON text holds no line breaks, so `data` is one line. Several of them joined go out in one
 * `stream.write` (one socket write instead of one per entry).
 */
const message = (event: string, data: string, id?: string) =>
  `event: ${event}\ndata: ${data}\n${id === undefined ? '' : `id: ${id}\n`}\n`

/** {@link message} with `JSON.stringify(value)` as data. */
export function sseText(event: string, value: unknown, id?: string): string {
  return message(event, JSON.stringify(value), id)
}

// Entries are not changed once published, and every subscriber is handed the same object.
const json = new WeakMap<LiveEntry, string>()

/**
 * A live entry as a message (the text of `sseText(sseEvent(entry), entry, id)`), its JSON made
 * once however many subscribers send it: each queues the text as the entry arrives, to count it
 * against its cap (live/subscriber.ts).
 */
export function entryText(entry: LiveEntry, id?: string): string {
  let data = json.get(entry)
  if (data === undefined) json.set(entry, (data = JSON.stringify(entry)))
  return message(sseEvent(entry), data, id)
}
