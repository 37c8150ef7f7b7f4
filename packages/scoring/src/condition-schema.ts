import { z } from 'zod'
import { fieldTestsSchema, regexSourceSchema, type FieldTests } from './predicate-schema.js'

export const EVENT_TYPES = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const
export type EventType = (typeof EVENT_TYPES)[number]

const eventTypeSchema = z.enum(EVENT_TYPES)
const typesSchema = z.union([eventTypeSchema, z.array(eventTypeSchema).min(1)], {
  error: `Expected an event type (${EVENT_TYPES.join(', ')}) or a list of them`,
})
const namesSchema = z.union(
  [z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(100)],
  { error: 'Expected an event name or a list of event names' },
)

const urlObjectSchema = z
  .strictObject({
    glob: z.string().min(1).max(500).optional(),
    regex: regexSourceSchema.optional(),
  })
  .refine((u) => (u.glob === undefined) !== (u.regex === undefined), {
    message: 'Give exactly one of glob or regex',
  })

/** A glob string (`*\/pricing*`), or `{ glob }`, or `{ regex }`; case-insensitive. */
export const urlPatternSchema = z.union([z.string().min(1).max(500), urlObjectSchema], {
  error: 'Expected a glob such as "*/pricing*" or an object { "regex": "..." }',
})
export type UrlPattern = z.output<typeof urlPatternSchema>

/** Which events a rule (or a count) looks at. Every key given must match; `anyOf` is an OR. */
export interface EventMatcher {
  type?: EventType | EventType[]
  event?: string | string[]
  url?: UrlPattern
  properties?: FieldTests
  anyOf?: EventMatcher[]
}

const MATCHER_KEYS = ['type', 'event', 'url', 'properties', 'anyOf'] as const

const matcherShape = {
  type: typesSchema.optional(),
  event: namesSchema.optional(),
  url: urlPatternSchema.optional(),
  properties: fieldTestsSchema.optional(),
  anyOf: z
    .array(z.lazy((): z.ZodType<EventMatcher> => eventMatcherSchema))
    .min(1)
    .max(20)
    .optional(),
}

export function hasMatcherKeys(value: object): boolean {
  return MATCHER_KEYS.some((key) => (value as Record<string, unknown>)[key] !== undefined)
}

export const eventMatcherSchema: z.ZodType<EventMatcher> = z
  .strictObject(matcherShape)
  .refine(hasMatcherKeys, { message: `Give at least one of ${MATCHER_KEYS.join(', ')}` })

const DURATION = /^(session|[1-9]\d{0,3}[mhdw])$/
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const
const MAX_WINDOW_MS = 366 * UNIT_MS.d

/** `'7d'` → milliseconds; `'session'` → null. Input is already validated. */
export function durationMs(within: string): number | null {
  if (within === 'session') return null
  const unit = within.slice(-1) as keyof typeof UNIT_MS
  return Number(within.slice(0, -1)) * UNIT_MS[unit]
}

export const countSchema = z
  .strictObject({
    atLeast: z.int().min(1).max(1000).optional(),
    fewerThan: z.int().min(1).max(1000).optional(),
    within: z.string().regex(DURATION, {
      message: 'Use "session" or a duration such as "30m", "24h", "7d" or "2w"',
    }),
    sessionGapMinutes: z.int().min(1).max(1440).optional(),
    of: eventMatcherSchema.optional(),
  })
  .superRefine((count, ctx) => {
    if ((count.atLeast === undefined) === (count.fewerThan === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'Give exactly one of atLeast or fewerThan' })
    }
    if (count.sessionGapMinutes !== undefined && count.within !== 'session') {
      ctx.addIssue({
        code: 'custom',
        path: ['sessionGapMinutes'],
        message: 'sessionGapMinutes only applies when within is "session"',
      })
    }
    const ms = DURATION.test(count.within) ? durationMs(count.within) : null
    if (ms !== null && ms > MAX_WINDOW_MS) {
      ctx.addIssue({ code: 'custom', path: ['within'], message: 'A window is at most 366 days' })
    }
  })
export type CountCondition = z.output<typeof countSchema>

/** Engagement rule conditions: an event matcher, optionally with a count in a window. */
export const engagementConditionsSchema = z
  .strictObject({ ...matcherShape, count: countSchema.optional() })
  .refine((c) => hasMatcherKeys(c) || c.count !== undefined, {
    message: `Give at least one of ${MATCHER_KEYS.join(', ')} or count`,
  })
  .superRefine((c, ctx) => {
    const judgedAtSessionEnd = c.count?.within === 'session' && c.count.fewerThan !== undefined
    if (judgedAtSessionEnd && c.count?.of && hasMatcherKeys(c)) {
      ctx.addIssue({
        code: 'custom',
        path: ['count', 'of'],
        message:
          '"fewerThan … within session" is judged when the session ends, not on one event: ' +
          'describe the counted events either in the rule or in count.of, not both',
      })
    }
  })
export type EngagementConditions = z.output<typeof engagementConditionsSchema>

/** Fit rule conditions: traits only, because fit is recomputed from the current traits. */
export interface FitConditions {
  traits?: FieldTests
  anyOf?: FitConditions[]
}

export const fitConditionsSchema: z.ZodType<FitConditions> = z
  .strictObject(
    {
      traits: fieldTestsSchema.optional(),
      anyOf: z
        .array(z.lazy((): z.ZodType<FitConditions> => fitConditionsSchema))
        .min(1)
        .max(20)
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `Fit rules look at traits only (use traits or anyOf), not: ${issue.keys.join(', ')}`
          : undefined,
    },
  )
  .refine((c) => c.traits !== undefined || c.anyOf !== undefined, {
    message: 'Give traits or anyOf',
  })
