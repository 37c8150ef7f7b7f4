import { z } from 'zod'
import { engagementConditionsSchema, fitConditionsSchema } from './condition-schema.js'

const slugSchema = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    message: 'Use a slug: lower-case letters, digits and single hyphens, e.g. "pricing-page"',
  })

const pointsSchema = z
  .number()
  .refine((p) => p !== 0, { message: 'Points must not be 0' })
  .refine((p) => Math.abs(p) <= 10_000, { message: 'Points must be between -10000 and 10000' })

const baseRule = {
  id: slugSchema,
  name: z.string().trim().min(1).max(120),
  description: z.string().max(1000).optional(),
  points: pointsSchema,
  enabled: z.boolean().optional(),
}

/** Caps count awards by the event's timestamp (UTC days, ISO weeks starting Monday). */
export const capsSchema = z
  .strictObject({
    once: z.literal(true).optional(),
    perDay: z.int().min(1).max(1000).optional(),
    perWeek: z.int().min(1).max(1000).optional(),
  })
  .refine((c) => c.once !== undefined || c.perDay !== undefined || c.perWeek !== undefined, {
    message: 'Give at least one of once, perDay or perWeek',
  })
export type Caps = z.output<typeof capsSchema>

export const fitRuleSchema = z.strictObject({
  ...baseRule,
  kind: z.literal('fit'),
  conditions: fitConditionsSchema,
  caps: z
    .unknown()
    .refine((v) => v === undefined, {
      message: 'Fit rules are recomputed from the current traits, so they take no caps',
    })
    .optional(),
})

export const engagementRuleSchema = z.strictObject({
  ...baseRule,
  kind: z.literal('engagement'),
  conditions: engagementConditionsSchema,
  caps: capsSchema.optional(),
})

export const ruleSchema = z.discriminatedUnion('kind', [fitRuleSchema, engagementRuleSchema])

export const gradeSchema = z.strictObject({
  name: z.string().trim().min(1).max(40),
  min: z.number().or(z.literal(-Infinity)).nullable().optional(),
})

const gradesSchema = z
  .array(gradeSchema)
  .min(1)
  .max(20)
  .superRefine((grades, ctx) => {
    const seen = new Set<string>()
    grades.forEach((grade, i) => {
      if (seen.has(grade.name)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `Duplicate grade "${grade.name}"`,
        })
      }
      seen.add(grade.name)
      if (i === 0) return
      const prev = grades[i - 1]?.min ?? -Infinity
      if (grade.min === undefined || grade.min === null || grade.min === -Infinity) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'min'],
          message: 'Only the first (lowest) grade may leave min out',
        })
      } else if (grade.min <= prev) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'min'],
          message: 'Grades are listed from lowest to highest: min must increase',
        })
      }
    })
  })

/** A whole rule-set document, as stored per workspace and sent to `PUT /v1/scoring/rules`. */
export const ruleSetSchema = z
  .strictObject({
    version: z.union([z.int().min(0), z.string().max(64)]).optional(),
    halfLifeDays: z.number().positive().max(3650).nullable(),
    grades: gradesSchema,
    rules: z.array(ruleSchema).max(500),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>()
    set.rules.forEach((rule, i) => {
      if (seen.has(rule.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'id'],
          message: `Duplicate rule id "${rule.id}"`,
        })
      }
      seen.add(rule.id)
    })
  })

export type FitRule = z.output<typeof fitRuleSchema>
export type EngagementRule = z.output<typeof engagementRuleSchema>
export type Rule = z.output<typeof ruleSchema>
export type Grade = z.output<typeof gradeSchema>
/** A validated rule set. Rule sets are plain JSON: this type is also how to write one in TS. */
export type RuleSet = z.output<typeof ruleSetSchema>
