import { z } from 'zod'
import { LifecycleError } from './errors.js'

// Alert state is a JSON object keyed by rule id: names that reach Object.prototype are refused.
const id = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((v) => !['__proto__', 'constructor', 'prototype'].includes(v), 'Reserved rule id')
const name = z.string().trim().min(1).max(200).optional()

/** Alert rules a workspace defines; stored as JSON and validated on every write. */
export const alertRuleSchema = z.discriminatedUnion('kind', [
  z.object({
    id,
    name,
    kind: z.literal('satisfaction_below'),
    metric: z.enum(['csat', 'nps', 'ces']),
    threshold: z.number().finite(),
  }),
  z.object({
    id,
    name,
    kind: z.literal('tickets_within'),
    count: z.number().int().min(1).max(10_000),
    windowDays: z.number().finite().gt(0).max(3650),
  }),
  z.object({
    id,
    name,
    kind: z.literal('churn_risk_above'),
    threshold: z.number().finite().min(0).max(100),
  }),
  z.object({ id, name, kind: z.literal('grade_became'), grade: z.string().trim().min(1).max(50) }),
])

export type AlertRule = z.output<typeof alertRuleSchema>
export type AlertRuleKind = AlertRule['kind']

/**
 * Validates a workspace's alert rules; ids must be unique because alert state is keyed by them.
 * @example
 * const rules = parseAlertRules([{ id: 'csat-low', kind: 'satisfaction_below', metric: 'csat',
 *   threshold: 3 }])
 */
export function parseAlertRules(input: unknown): AlertRule[] {
  const r = z.array(alertRuleSchema).max(100).safeParse(input)
  if (!r.success) {
    throw new LifecycleError('invalid_alert_rule', 'Invalid alert rules', {
      issues: r.error.issues.map((i) => ({ path: i.path, message: i.message })),
    })
  }
  const seen = new Set<string>()
  for (const rule of r.data) {
    if (seen.has(rule.id)) {
      throw new LifecycleError('invalid_alert_rule', `Duplicate alert rule id "${rule.id}"`, {
        id: rule.id,
      })
    }
    seen.add(rule.id)
  }
  return r.data
}
