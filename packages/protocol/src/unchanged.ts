import { MAX_BATCH_EVENTS, MAX_EVENT_NAME_LENGTH, MAX_ID_LENGTH } from './limits.js'

// A fast path beside the zod schemas of events.ts and batch.ts, for the collector's hot path:
// each function answers true only when the schema accepts the value AND its parse would return
// a copy equal to it (ids already strings, dates already in `toISOString()` form), so the
// caller may use the value itself. False means "not sure": run the schema, which also words
// the issues of an invalid value. unchanged.test.ts checks both against the schemas, with
// random events and with a walk of every key the schemas declare (read from zod at run time,
// so a key added to a schema and not to this file fails that test).

type Json = Record<string, unknown>

/**
 * An object zod's `z.object`/`z.record` take and copy key for key: a plain object (what
 * JSON.parse makes) without an own `__proto__` key — JSON.parse makes one from
 * `{"__proto__": …}`, and zod's copy drops it, so such an object is never "unchanged".
 */
const isRecord = (v: unknown): v is Json => {
  if (typeof v !== 'object' || v === null) return false
  const proto = Object.getPrototypeOf(v) as unknown
  return (proto === Object.prototype || proto === null) && !Object.hasOwn(v, '__proto__')
}
const optRecord = (v: unknown) => v === undefined || isRecord(v)
const optString = (v: unknown, max = Infinity) =>
  v === undefined || (typeof v === 'string' && v.length <= max)
const isId = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= MAX_ID_LENGTH
const optNullId = (v: unknown) => v === undefined || v === null || isId(v)
const optName = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.length <= MAX_EVENT_NAME_LENGTH)

/** `isoDateSchema` keeps it as is: the exact `toISOString()` text of a valid date. */
const optDate = (v: unknown) => {
  if (v === undefined) return true
  if (typeof v !== 'string' || v.length !== 24) return false
  const t = Date.parse(v)
  return t === t && new Date(t).toISOString() === v
}

const PAGE_KEYS = ['path', 'referrer', 'search', 'title', 'url'] as const
const CAMPAIGN_KEYS = ['name', 'source', 'medium', 'term', 'content'] as const

const stringsOnly = (v: unknown, keys: readonly string[]) => {
  if (v === undefined) return true
  if (!isRecord(v)) return false
  for (const k of keys) if (!optString(v[k])) return false
  return true
}

/** `contextSchema` (events.ts). */
export function contextUnchanged(c: unknown): boolean {
  if (c === undefined) return true
  if (!isRecord(c)) return false
  return (
    optString(c.ip, 64) &&
    optString(c.locale, 64) &&
    optString(c.userAgent, 2048) &&
    stringsOnly(c.page, PAGE_KEYS) &&
    stringsOnly(c.campaign, CAMPAIGN_KEYS) &&
    optRecord(c.traits) &&
    stringsOnly(c.library, ['name', 'version'])
  )
}

/** `eventSchema` (events.ts) on an object. */
export function eventUnchanged(e: Json): boolean {
  if (!(
    isRecord(e) &&
    optNullId(e.anonymousId) &&
    optNullId(e.userId) &&
    (isId(e.userId) || isId(e.anonymousId)) &&
    (e.messageId === undefined || isId(e.messageId)) &&
    optDate(e.timestamp) &&
    optDate(e.originalTimestamp) &&
    optDate(e.sentAt) &&
    optRecord(e.integrations) &&
    optString(e.writeKey) &&
    contextUnchanged(e.context)
  ))
    return false
  switch (e.type) {
    case 'track':
      return (
        typeof e.event === 'string' &&
        e.event.length >= 1 &&
        e.event.length <= MAX_EVENT_NAME_LENGTH &&
        optRecord(e.properties)
      )
    case 'page':
    case 'screen':
      return optName(e.name) && optName(e.category) && optRecord(e.properties)
    case 'identify':
      return optRecord(e.traits)
    case 'group':
      return isId(e.groupId) && optRecord(e.traits)
    case 'alias':
      return isId(e.previousId)
    default:
      return false
  }
}

/** `batchEnvelopeSchema` (batch.ts). */
export function envelopeUnchanged(body: unknown): body is Json & { batch: unknown[] } {
  if (!isRecord(body)) return false
  const batch = body.batch
  return (
    Array.isArray(batch) &&
    batch.length >= 1 &&
    batch.length <= MAX_BATCH_EVENTS &&
    optDate(body.sentAt) &&
    contextUnchanged(body.context) &&
    optRecord(body.integrations) &&
    optString(body.writeKey)
  )
}
