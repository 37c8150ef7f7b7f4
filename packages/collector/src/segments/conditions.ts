import { z } from 'zod'
import {
  durationMs,
  eventMatcherSchema,
  fieldTestsSchema,
  type EventMatcher,
  type FieldTests,
} from '@lodestone/scoring'

// A segment's conditions: the scoring rules' condition language (docs/scoring.md) for traits
// and events, plus predicates on the score as of now, grade, subscriptions, buying role,
// accounts, other segments and static lists, combined with all / any / not. docs/segments.md.

const WITHIN = /^[1-9]\d{0,3}[mhdw]$/
const MAX_WINDOW_MS = 366 * 86_400_000

const withinSchema = z
  .string()
  .regex(WITHIN, { message: 'Use a duration such as "30m", "24h", "14d" or "2w"' })
  .refine((w) => (durationMs(w) ?? 0) <= MAX_WINDOW_MS, { message: 'At most 366 days' })

const rangeSchema = z
  .strictObject({
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
  })
  .refine((r) => Object.keys(r).length > 0, { message: 'Give gt, gte, lt or lte' })
export type Range = z.output<typeof rangeSchema>

const namesSchema = z.union([
  z.string().min(1).max(200),
  z.array(z.string().min(1).max(200)).min(1).max(50),
])
const idSchema = z.string().min(1).max(100)

const eventsSchema = z
  .strictObject({
    match: eventMatcherSchema,
    atLeast: z.int().min(1).max(1000).optional(),
    fewerThan: z.int().min(1).max(1000).optional(),
    within: withinSchema,
  })
  .refine((e) => (e.atLeast === undefined) !== (e.fewerThan === undefined), {
    message: 'Give exactly one of atLeast or fewerThan',
  })

const accountSchema = z.strictObject({
  exists: z.boolean().optional(),
  groupId: namesSchema.optional(),
  traits: fieldTestsSchema.optional(),
  score: rangeSchema.optional(),
  grade: namesSchema.optional(),
})

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { traits: FieldTests }
  | { score: Range }
  | { fit: Range }
  | { engagement: Range }
  | { grade: string | string[] }
  | { subscribed: string }
  | { role: string | string[] }
  | { account: z.output<typeof accountSchema> }
  | { segment: string }
  | { list: string }
  | {
      events: { match: EventMatcher; atLeast?: number; fewerThan?: number; within: string }
    }
  | { lastSeen: { within: string } | { notWithin: string } }

const list = (): z.ZodType<Condition[]> =>
  z
    .array(z.lazy(() => conditionSchema))
    .min(1)
    .max(50)

export const conditionSchema: z.ZodType<Condition> = z.union(
  [
    z.strictObject({ all: list() }),
    z.strictObject({ any: list() }),
    z.strictObject({ not: z.lazy(() => conditionSchema) }),
    z.strictObject({ traits: fieldTestsSchema }),
    z.strictObject({ score: rangeSchema }),
    z.strictObject({ fit: rangeSchema }),
    z.strictObject({ engagement: rangeSchema }),
    z.strictObject({ grade: namesSchema }),
    z.strictObject({ subscribed: z.string().min(1).max(200) }),
    z.strictObject({
      role: z.union([
        z.enum(['decision_maker', 'influencer', 'other']),
        z.array(z.enum(['decision_maker', 'influencer', 'other'])).min(1),
      ]),
    }),
    z.strictObject({ account: accountSchema }),
    z.strictObject({ segment: idSchema }),
    z.strictObject({ list: idSchema }),
    z.strictObject({ events: eventsSchema }),
    z.strictObject({
      lastSeen: z.union([
        z.strictObject({ within: withinSchema }),
        z.strictObject({ notWithin: withinSchema }),
      ]),
    }),
  ],
  {
    error:
      'Expected one of all, any, not, traits, score, fit, engagement, grade, subscribed, role, account, segment, list, events, lastSeen',
  },
)

/** Segment ids a condition refers to (for cycle checks and evaluation order). */
export function referencedSegments(c: Condition, out = new Set<string>()): Set<string> {
  if ('all' in c) for (const x of c.all) referencedSegments(x, out)
  else if ('any' in c) for (const x of c.any) referencedSegments(x, out)
  else if ('not' in c) referencedSegments(c.not, out)
  else if ('segment' in c) out.add(c.segment)
  return out
}
