import {
  batchEnvelopeSchema,
  envelopeUnchanged,
  eventSchema,
  eventUnchanged,
  type BatchEnvelope,
  MAX_EVENT_BYTES,
  type EventType,
  type RejectedEvent,
  type SegmentEvent,
} from '@lodestone/protocol'
import type { z } from 'zod'
import { CollectorError } from '../errors.js'

/** A validated event: `event` is normalised; `raw` keeps every field the client sent, intact. */
export interface ValidEvent {
  index: number
  event: SegmentEvent
  raw: Record<string, unknown>
}

export interface Validated {
  valid: ValidEvent[]
  rejected: RejectedEvent[]
  envelope: { sentAt?: string; context?: Record<string, unknown>; writeKey?: string }
}

const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
    code: i.code,
  }))

function byteLength(s: string): number {
  // Cheap bounds first: UTF-8 takes 1 to 3 bytes per UTF-16 unit.
  if (s.length * 3 <= MAX_EVENT_BYTES) return s.length
  return new TextEncoder().encode(s).byteLength
}

function messageIdOf(item: unknown): string | undefined {
  const id = (item as { messageId?: unknown } | null)?.messageId
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined
}

/**
 * Bytes that no event of a request can exceed once re-serialized (what the size check measures),
 * when the request's JSON text has no number with an exponent (sanitize.ts `jsonShape`): an
 * event is a part of the text, and only such numbers grow when parsed JSON is serialized again.
 * The margin covers the `type` a single-event route adds. With a bound within the event limit,
 * the check needs no `JSON.stringify` of each event.
 */
export const eventSizeBound = (shape: { exponent: boolean }, requestBytes: number): number =>
  shape.exponent ? Infinity : requestBytes + 32

function validateOne(
  item: unknown,
  index: number,
  sizeBound: number,
  type?: EventType,
): ValidEvent | RejectedEvent {
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    return {
      index,
      issues: [{ path: [], message: 'An event must be a JSON object', code: 'invalid_type' }],
    }
  }
  const raw = (type ? { ...item, type } : item) as Record<string, unknown>
  if (sizeBound > MAX_EVENT_BYTES && byteLength(JSON.stringify(raw)) > MAX_EVENT_BYTES) {
    return {
      index,
      messageId: messageIdOf(item),
      issues: [{ path: [], message: `Event exceeds ${MAX_EVENT_BYTES} bytes`, code: 'too_big' }],
    }
  }
  // Well-formed events (nearly all) skip zod: it would return an equal copy (protocol's
  // unchanged.ts). Anything else goes through the schema, which also words the issues.
  if (eventUnchanged(raw)) return { index, event: raw as SegmentEvent, raw }
  const parsed = eventSchema.safeParse(raw)
  if (!parsed.success)
    return { index, messageId: messageIdOf(item), issues: issuesOf(parsed.error) }
  return { index, event: parsed.data, raw }
}

/**
 * Validates a `/v1/batch` body: each event on its own, so one bad event sinks no other.
 * `sizeBound`: see {@link eventSizeBound} (default: each event's size is measured).
 */
export function validateBatch(body: unknown, sizeBound = Infinity): Validated {
  const env = envelopeUnchanged(body)
    ? { success: true as const, data: body as BatchEnvelope }
    : batchEnvelopeSchema.safeParse(body)
  if (!env.success) {
    const tooMany = env.error.issues.some((i) => i.code === 'too_big' && i.path[0] === 'batch')
    throw new CollectorError(
      tooMany ? 'payload_too_large' : 'bad_request',
      'Invalid batch envelope',
      {
        issues: issuesOf(env.error),
      },
    )
  }
  const valid: ValidEvent[] = []
  const rejected: RejectedEvent[] = []
  env.data.batch.forEach((item, i) => {
    const r = validateOne(item, i, sizeBound)
    if ('event' in r) valid.push(r)
    else rejected.push(r)
  })
  const { sentAt, context, writeKey } = env.data
  return { valid, rejected, envelope: { sentAt, context, writeKey } }
}

/** Validates the body of a single-event route; the route decides the type, as Segment does. */
export function validateSingle(body: unknown, type: EventType, sizeBound = Infinity): Validated {
  const r = validateOne(body, 0, sizeBound, type)
  if (!('event' in r)) {
    const tooBig = r.issues.some((i) => i.code === 'too_big' && i.path.length === 0)
    throw new CollectorError(tooBig ? 'payload_too_large' : 'invalid_events', 'Invalid event', {
      issues: r.issues,
      rejected: [r],
    })
  }
  const writeKey = typeof r.raw.writeKey === 'string' ? r.raw.writeKey : undefined
  return { valid: [r], rejected: [], envelope: { writeKey } }
}
