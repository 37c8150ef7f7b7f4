import { LifecycleError } from './errors.js'

/** The standard reason lists a workspace keeps (data control: one spelling per reason). */
export const REASON_KINDS = ['won', 'lost', 'churn', 'satisfied'] as const
export type ReasonKind = (typeof REASON_KINDS)[number]

/** A workspace's reason lists, canonical labels in display order. */
export type ReasonLists = Readonly<Record<ReasonKind, readonly string[]>>

/** Lists a new workspace starts with; editable through the API. */
export const DEFAULT_REASONS: ReasonLists = {
  won: ['Price', 'Product fit', 'Features', 'Relationship', 'Support', 'Timing', 'Referral'],
  lost: [
    'Price',
    'Missing features',
    'Chose a competitor',
    'No budget',
    'No decision',
    'Timing',
    'Poor fit',
    'Unresponsive',
  ],
  churn: [
    'Price',
    'Missing features',
    'Switched to a competitor',
    'Poor support',
    'Product quality',
    'Hard to use',
    'No longer needed',
    'Business closed',
  ],
  satisfied: [
    'Product quality',
    'Ease of use',
    'Support',
    'Value for money',
    'Features',
    'Reliability',
  ],
}

const MAX_REASONS = 100
const MAX_LABEL = 100

/**
 * The comparison key of a reason: Unicode-normalised, trimmed, inner whitespace collapsed,
 * case-folded. `" Chose  a COMPETITOR"` and `"chose a competitor"` share a key.
 * @example reasonKey('  No   Budget ') // 'no budget'
 */
export function reasonKey(label: string): string {
  return label.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()
}

/**
 * Validates and cleans a workspace's lists (labels trimmed, no empty or duplicate labels).
 * Kinds left out keep their defaults.
 * @example
 * const lists = createReasonLists({ lost: ['Price', 'Chose a competitor', 'Legal'] })
 */
export function createReasonLists(input: Partial<Record<ReasonKind, unknown>> = {}): ReasonLists {
  const out = { ...DEFAULT_REASONS } as Record<ReasonKind, readonly string[]>
  for (const [kind, list] of Object.entries(input)) {
    if (!(REASON_KINDS as readonly string[]).includes(kind)) {
      throw new LifecycleError('invalid_reason_list', `Unknown reason kind "${kind}"`, {
        allowed: REASON_KINDS,
      })
    }
    if (list === undefined) continue
    out[kind as ReasonKind] = cleanList(kind, list)
  }
  return out
}

function cleanList(kind: string, list: unknown): string[] {
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_REASONS) {
    throw new LifecycleError(
      'invalid_reason_list',
      `The ${kind} list must hold 1 to ${MAX_REASONS} labels`,
      { kind },
    )
  }
  const seen = new Map<string, string>()
  for (const raw of list) {
    const label = typeof raw === 'string' ? raw.normalize('NFKC').trim().replace(/\s+/g, ' ') : ''
    if (label.length === 0 || label.length > MAX_LABEL) {
      throw new LifecycleError(
        'invalid_reason_list',
        `Reason labels are 1 to ${MAX_LABEL} characters`,
        { kind, label: raw },
      )
    }
    const key = reasonKey(label)
    if (seen.has(key)) {
      throw new LifecycleError(
        'invalid_reason_list',
        `"${label}" duplicates "${seen.get(key)}" in the ${kind} list`,
        { kind, label },
      )
    }
    seen.set(key, label)
  }
  return [...seen.values()]
}

/**
 * The canonical label for `reason` in one or more lists, or `null` when it is in none.
 * @example matchReason(DEFAULT_REASONS, 'lost', ' price ') // 'Price'
 */
export function matchReason(
  lists: ReasonLists,
  kinds: ReasonKind | readonly ReasonKind[],
  reason: string,
): string | null {
  const key = reasonKey(reason)
  for (const kind of typeof kinds === 'string' ? [kinds] : kinds) {
    const hit = lists[kind].find((label) => reasonKey(label) === key)
    if (hit !== undefined) return hit
  }
  return null
}

/**
 * Like {@link matchReason} but throws `unknown_reason` with the allowed labels, which the
 * collector returns to the sender so the fix is obvious.
 * @example resolveReason(DEFAULT_REASONS, 'won', 'REFERRAL') // 'Referral'
 */
export function resolveReason(
  lists: ReasonLists,
  kinds: ReasonKind | readonly ReasonKind[],
  reason: string,
): string {
  const hit = matchReason(lists, kinds, reason)
  if (hit !== null) return hit
  const list = typeof kinds === 'string' ? [kinds] : kinds
  const allowed = [...new Set(list.flatMap((k) => lists[k]))]
  throw new LifecycleError(
    'unknown_reason',
    `Unknown ${list.join('/')} reason "${reason}". Allowed: ${allowed.join(', ')}`,
    { reason, kinds: list, allowed },
  )
}
