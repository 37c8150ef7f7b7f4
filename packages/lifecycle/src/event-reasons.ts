import type { SurveyRespondedProperties } from '@lodestone/protocol'
import { resolveReason, type ReasonKind, type ReasonLists } from './reasons.js'

/**
 * Which reason lists apply to an event's `reason`. A survey's reason explains a good score
 * (`satisfied`) or a poor one (`churn`); a neutral score may use either.
 * @example reasonKindsFor('Survey Responded', { kind: 'csat', score: 2 }) // ['churn']
 */
export function reasonKindsFor(event: string, properties: Record<string, unknown>): ReasonKind[] {
  if (event === 'Deal Won') return ['won']
  if (event === 'Deal Lost') return ['lost']
  if (event !== 'Survey Responded') return []
  const { kind, score } = properties as Partial<SurveyRespondedProperties>
  if (typeof score !== 'number') return ['satisfied', 'churn']
  const [good, bad] =
    kind === 'nps' ? [9, 6] : kind === 'csat' ? [4, 2] : kind === 'ces' ? [5, 3] : [Infinity, -1]
  if (score >= good) return ['satisfied']
  if (score <= bad) return ['churn']
  return ['satisfied', 'churn']
}

/**
 * Returns the properties with `reason` replaced by its canonical label; throws
 * `unknown_reason` (with `allowed`) when it is in none of the applicable lists.
 * Events without a reason, or without reason lists, pass through unchanged.
 * @example
 * canonicaliseEventReason(lists, 'Deal Lost', { dealId: 'd1', amount: 0, currency: 'USD',
 *   reason: 'no budget' }).reason // 'No budget'
 */
export function canonicaliseEventReason<P extends Record<string, unknown>>(
  lists: ReasonLists,
  event: string,
  properties: P,
): P {
  const kinds = reasonKindsFor(event, properties)
  const reason = properties.reason
  if (kinds.length === 0 || typeof reason !== 'string') return properties
  return { ...properties, reason: resolveReason(lists, kinds, reason) }
}
