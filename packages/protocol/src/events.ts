import { z } from 'zod'
import { MAX_EVENT_NAME_LENGTH, MAX_ID_LENGTH } from './limits.js'

// Real clients disagree on small things (numeric user ids, timestamps with or without
// milliseconds or offsets, extra top-level fields), so schemas accept what Segment accepts
// and normalise it, rather than reject traffic that Segment itself would take.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i

/** An ISO-8601 date-time string that `Date` can read; normalised to `toISOString()` form. */
export const isoDateSchema = z
  .string()
  .max(64)
  .refine((s) => ISO_DATE.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'Expected an ISO-8601 date-time string',
  })
  .transform((s) => new Date(s).toISOString())

const idSchema = z
  .union([z.string(), z.number().finite()])
  .transform((v) => String(v))
  .pipe(z.string().min(1, 'Must not be empty').max(MAX_ID_LENGTH))

/** Free-form JSON object (properties, traits, context, integrations). */
export const jsonObjectSchema = z.record(z.string(), z.unknown())

const pageContextSchema = z.looseObject({
  path: z.string().optional(),
  referrer: z.string().optional(),
  search: z.string().optional(),
  title: z.string().optional(),
  url: z.string().optional(),
})

const campaignSchema = z.looseObject({
  name: z.string().optional(),
  source: z.string().optional(),
  medium: z.string().optional(),
  term: z.string().optional(),
  content: z.string().optional(),
})

export const contextSchema = z.looseObject({
  ip: z.string().max(64).optional(),
  locale: z.string().max(64).optional(),
  userAgent: z.string().max(2048).optional(),
  page: pageContextSchema.optional(),
  campaign: campaignSchema.optional(),
  traits: jsonObjectSchema.optional(),
  library: z
    .looseObject({ name: z.string().optional(), version: z.string().optional() })
    .optional(),
})

const baseFields = {
  messageId: idSchema.optional(),
  anonymousId: idSchema.optional().nullable(),
  userId: idSchema.optional().nullable(),
  timestamp: isoDateSchema.optional(),
  originalTimestamp: isoDateSchema.optional(),
  sentAt: isoDateSchema.optional(),
  context: contextSchema.optional(),
  integrations: jsonObjectSchema.optional(),
  writeKey: z.string().optional(),
}

export const trackEventSchema = z.looseObject({
  ...baseFields,
  type: z.literal('track'),
  event: z.string().min(1, 'A track call needs an event name').max(MAX_EVENT_NAME_LENGTH),
  properties: jsonObjectSchema.optional(),
})

const namedFields = {
  name: z.string().max(MAX_EVENT_NAME_LENGTH).optional().nullable(),
  category: z.string().max(MAX_EVENT_NAME_LENGTH).optional().nullable(),
  properties: jsonObjectSchema.optional(),
}

export const pageEventSchema = z.looseObject({
  ...baseFields,
  type: z.literal('page'),
  ...namedFields,
})
export const screenEventSchema = z.looseObject({
  ...baseFields,
  type: z.literal('screen'),
  ...namedFields,
})

export const identifyEventSchema = z.looseObject({
  ...baseFields,
  type: z.literal('identify'),
  traits: jsonObjectSchema.optional(),
})

export const groupEventSchema = z.looseObject({
  ...baseFields,
  type: z.literal('group'),
  groupId: idSchema,
  traits: jsonObjectSchema.optional(),
})

export const aliasEventSchema = z.looseObject({
  ...baseFields,
  type: z.literal('alias'),
  previousId: idSchema,
})

const anyEventSchema = z.discriminatedUnion('type', [
  trackEventSchema,
  pageEventSchema,
  screenEventSchema,
  identifyEventSchema,
  groupEventSchema,
  aliasEventSchema,
])

/** Any Segment event, with Segment's rule that it names a user or an anonymous visitor. */
export const eventSchema = anyEventSchema.superRefine((e, ctx) => {
  if (!e.userId && !e.anonymousId) {
    ctx.addIssue({
      code: 'custom',
      path: ['userId'],
      message: 'An event needs a userId or an anonymousId',
    })
  }
})

export type TrackEvent = z.output<typeof trackEventSchema>
export type PageEvent = z.output<typeof pageEventSchema>
export type ScreenEvent = z.output<typeof screenEventSchema>
export type IdentifyEvent = z.output<typeof identifyEventSchema>
export type GroupEvent = z.output<typeof groupEventSchema>
export type AliasEvent = z.output<typeof aliasEventSchema>
/** A validated, normalised event (ids are strings, dates are ISO strings). */
export type SegmentEvent = z.output<typeof eventSchema>
/** What a client may send (numeric ids allowed, dates in any ISO form). */
export type SegmentEventInput = z.input<typeof eventSchema>
export type EventContext = z.output<typeof contextSchema>
