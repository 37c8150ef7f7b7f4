import { z } from 'zod'
import { MAX_BATCH_EVENTS } from './limits.js'
import { contextSchema, isoDateSchema, jsonObjectSchema, type SegmentEventInput } from './events.js'

/**
 * The `/v1/batch` envelope. Items stay `unknown` here: each is validated on its own so one
 * bad event cannot sink its neighbours.
 */
export const batchEnvelopeSchema = z.looseObject({
  batch: z
    .array(z.unknown())
    .min(1, 'A batch needs at least one event')
    .max(MAX_BATCH_EVENTS, `A batch holds at most ${MAX_BATCH_EVENTS} events`),
  sentAt: isoDateSchema.optional(),
  context: contextSchema.optional(),
  integrations: jsonObjectSchema.optional(),
  writeKey: z.string().optional(),
})

export type BatchEnvelope = z.output<typeof batchEnvelopeSchema>

/** What a client posts to `/v1/batch`. */
export interface BatchPayload {
  batch: SegmentEventInput[]
  sentAt?: string
  context?: Record<string, unknown>
  writeKey?: string
}

/** One event the collector refused, with the zod issues that explain why. */
export interface RejectedEvent {
  index: number
  messageId?: string
  issues: { path: (string | number)[]; message: string; code: string }[]
}

/** The collector's answer to an accepted ingest request. */
export interface IngestResponse {
  success: true
  /** Valid events acknowledged: stored by this request, or already held (the duplicates). */
  accepted: number
  /** Of `accepted`, events whose messageId the workspace already had: not stored again. */
  duplicates: number
  /** Events refused, by index, with why; the others were still accepted. */
  rejected: RejectedEvent[]
}

/** The collector's answer to a refused request. */
export interface ErrorResponse {
  success: false
  error: { code: string; message: string; issues?: unknown[] }
}
