import { z } from 'zod'
import { patternProblem } from './pattern.js'

// Shared by property and trait conditions. Strings compare case-insensitively because
// marketers type "saas" while forms send "SaaS"; numbers may arrive as strings from forms.

const scalarSchema = z.union([z.string().max(500), z.number(), z.boolean()], {
  error: 'Expected a string, a number or true/false',
})

const wordsSchema = z.union(
  [z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(100)],
  {
    error: 'Expected a string or a list of strings',
  },
)

/**
 * A regular expression in RE2 syntax, always applied case-insensitively; refused when RE2
 * cannot run it or it is too long or too complex (see pattern.ts).
 */
export const regexSourceSchema = z
  .string()
  .min(1)
  .superRefine((source, ctx) => {
    const problem = patternProblem(source)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  })

const PREDICATE_KEYS = [
  'equals',
  'in',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'contains',
  'containsWord',
  'matches',
]

export const predicateObjectSchema = z
  .strictObject({
    equals: scalarSchema.optional(),
    in: z.array(scalarSchema).min(1).max(500).optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    exists: z.boolean().optional(),
    contains: wordsSchema.optional(),
    containsWord: wordsSchema.optional(),
    matches: regexSourceSchema.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, {
    message: `A condition needs at least one test: ${PREDICATE_KEYS.join(', ')}`,
  })

/**
 * A test on one value. Shorthands: a plain value means `{ equals }`, a list means `{ in }`.
 * Several tests in one object must all hold (`{ gte: 10, lte: 500 }` is a range).
 */
export const predicateSchema = z.union(
  [scalarSchema, z.array(scalarSchema).min(1).max(500), predicateObjectSchema],
  { error: 'Expected a value, a list of values, or an object such as { "gte": 10 }' },
)

/** Field name (dotted for nested values, e.g. `address.country`) → test. */
export const fieldTestsSchema = z
  .record(z.string().min(1).max(200), predicateSchema)
  .refine((tests) => Object.keys(tests).length > 0, { message: 'List at least one field to test' })

export type Scalar = z.output<typeof scalarSchema>
export type PredicateObject = z.output<typeof predicateObjectSchema>
export type Predicate = z.output<typeof predicateSchema>
export type FieldTests = z.output<typeof fieldTestsSchema>
