import { z } from 'zod'
import { MAX_ID_LENGTH } from './limits.js'

// Server-side semantic events (deals, orders, tickets, surveys). Objects stay loose because
// CRMs and shops send many extra fields; only what lifecycle features read is checked.
// Identifiers may be numeric (most help desks use integers) and are normalised to strings.

const lifecycleIdSchema = z
  .union([z.string(), z.number().finite()])
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, 'Must not be empty').max(MAX_ID_LENGTH))

/** A non-negative, finite amount of money. */
export const moneyAmountSchema = z.number().finite().min(0, 'Amounts cannot be negative')

/** ISO 4217 code; `usd` is accepted and normalised to `USD`. */
export const currencySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'Expected an ISO 4217 currency code such as "USD"')
  .transform((s) => s.toUpperCase())

const reasonSchema = z.string().trim().min(1).max(200)
const labelSchema = z.string().trim().min(1).max(200)

const dealFields = {
  dealId: lifecycleIdSchema,
  amount: moneyAmountSchema,
  currency: currencySchema,
  reason: reasonSchema.optional(),
  name: labelSchema.optional(),
}

/** Properties of `Deal Won`. */
export const dealWonPropertiesSchema = z.looseObject(dealFields)
/** Properties of `Deal Lost`. */
export const dealLostPropertiesSchema = z.looseObject(dealFields)

const productSchema = z.looseObject({
  productId: lifecycleIdSchema.optional(),
  sku: z.string().max(MAX_ID_LENGTH).optional(),
  name: labelSchema.optional(),
  price: moneyAmountSchema.optional(),
  quantity: z.number().finite().min(0).optional(),
})

/**
 * Properties of `Order Completed` (Segment's e-commerce spec). Either `revenue` or `total`
 * must be given; lifecycle features use `revenue` when both are present.
 */
export const orderCompletedPropertiesSchema = z
  .looseObject({
    orderId: lifecycleIdSchema,
    revenue: moneyAmountSchema.optional(),
    total: moneyAmountSchema.optional(),
    currency: currencySchema,
    products: z.array(productSchema).max(1000).optional(),
  })
  .refine((o) => o.revenue !== undefined || o.total !== undefined, {
    message: 'An order needs revenue or total',
    path: ['revenue'],
  })

/** Ticket priorities, matching the four levels most help desks use. */
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const

const prioritySchema = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(TICKET_PRIORITIES))

/** Properties of `Ticket Created`. */
export const ticketCreatedPropertiesSchema = z.looseObject({
  ticketId: lifecycleIdSchema,
  category: labelSchema,
  priority: prioritySchema.optional(),
  subject: z.string().max(1000).optional(),
})

/** Properties of `Ticket Resolved`; `resolutionMinutes` is time from creation to resolution. */
export const ticketResolvedPropertiesSchema = z.looseObject({
  ticketId: lifecycleIdSchema,
  category: labelSchema.optional(),
  priority: prioritySchema.optional(),
  resolutionMinutes: z.number().finite().min(0).optional(),
})

/** Survey kinds and their score ranges (inclusive). */
export const SURVEY_SCALES = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
} as const

export type SurveyKind = keyof typeof SURVEY_SCALES

const surveyFields = {
  surveyId: lifecycleIdSchema.optional(),
  comment: z.string().max(5000).optional(),
  reason: reasonSchema.optional(),
}

const scoreSchema = (kind: SurveyKind) =>
  z
    .number()
    .int('A survey score is a whole number')
    .min(SURVEY_SCALES[kind].min)
    .max(SURVEY_SCALES[kind].max)

/** Properties of `Survey Responded`: one of NPS 0–10, CSAT 1–5 or CES 1–7 (7 = easiest). */
export const surveyRespondedPropertiesSchema = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('nps'), score: scoreSchema('nps'), ...surveyFields }),
  z.looseObject({ kind: z.literal('csat'), score: scoreSchema('csat'), ...surveyFields }),
  z.looseObject({ kind: z.literal('ces'), score: scoreSchema('ces'), ...surveyFields }),
])

/** Event name → schema of its `properties`. */
export const LIFECYCLE_EVENT_SCHEMAS = {
  'Deal Won': dealWonPropertiesSchema,
  'Deal Lost': dealLostPropertiesSchema,
  'Order Completed': orderCompletedPropertiesSchema,
  'Ticket Created': ticketCreatedPropertiesSchema,
  'Ticket Resolved': ticketResolvedPropertiesSchema,
  'Survey Responded': surveyRespondedPropertiesSchema,
} as const

export type LifecycleEventName = keyof typeof LIFECYCLE_EVENT_SCHEMAS
export const LIFECYCLE_EVENT_NAMES = Object.keys(LIFECYCLE_EVENT_SCHEMAS) as LifecycleEventName[]

export type DealWonProperties = z.output<typeof dealWonPropertiesSchema>
export type DealLostProperties = z.output<typeof dealLostPropertiesSchema>
export type OrderCompletedProperties = z.output<typeof orderCompletedPropertiesSchema>
export type TicketCreatedProperties = z.output<typeof ticketCreatedPropertiesSchema>
export type TicketResolvedProperties = z.output<typeof ticketResolvedPropertiesSchema>
export type SurveyRespondedProperties = z.output<typeof surveyRespondedPropertiesSchema>
export type TicketPriority = (typeof TICKET_PRIORITIES)[number]

/** Validated properties per lifecycle event name. */
export interface LifecycleProperties {
  'Deal Won': DealWonProperties
  'Deal Lost': DealLostProperties
  'Order Completed': OrderCompletedProperties
  'Ticket Created': TicketCreatedProperties
  'Ticket Resolved': TicketResolvedProperties
  'Survey Responded': SurveyRespondedProperties
}

/**
 * True when `name` is one of the server-side lifecycle events.
 * @example isLifecycleEvent('Deal Won') // true
 */
export function isLifecycleEvent(name: unknown): name is LifecycleEventName {
  return typeof name === 'string' && Object.hasOwn(LIFECYCLE_EVENT_SCHEMAS, name)
}

/**
 * Validates a track call's properties against its lifecycle schema. Returns `null` for events
 * that are not lifecycle events (they need no extra checks).
 * @example
 * const r = parseLifecycleProperties('Survey Responded', { kind: 'csat', score: 2 })
 * if (r && !r.success) console.log(r.error.issues)
 */
export function parseLifecycleProperties(name: string, properties: unknown) {
  if (!isLifecycleEvent(name)) return null
  return LIFECYCLE_EVENT_SCHEMAS[name].safeParse(properties ?? {})
}
