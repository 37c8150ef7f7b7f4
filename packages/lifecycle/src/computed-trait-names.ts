// Every computed trait, once. The ComputedTraits type, the traits stored on a contact and the
// churn formula's variables all derive from this table (docs/lifecycle.md, "Computed traits").

/**
 * The kind of a computed trait's value: `number` always a number; `number?` a number or null;
 * `date?` an ISO time or null; `days?` days since a time or null — clock-dependent, so never
 * stored (it would go stale by the hour); `output` the churn risk, the formula's result.
 */
export type ComputedTraitKind = 'number' | 'number?' | 'date?' | 'days?' | 'output'

export const COMPUTED_TRAIT_KINDS = {
  orderCount: 'number',
  /** Orders left out of totalRevenue and averageOrderValue: no exchange rate for their currency. */
  unconvertedOrders: 'number',
  totalRevenue: 'number',
  averageOrderValue: 'number?',
  firstOrderAt: 'date?',
  lastOrderAt: 'date?',
  daysSinceLastOrder: 'days?',
  /** Purchases per year. */
  purchaseFrequency: 'number',
  /** Average purchase value × purchases per year × expected lifespan in years. */
  lifetimeValue: 'number',
  dealsWon: 'number',
  dealsLost: 'number',
  dealsWonAmount: 'number',
  dealsLostAmount: 'number',
  ticketsTotal: 'number',
  ticketsOpen: 'number',
  ticketsLast30Days: 'number',
  lastTicketAt: 'date?',
  daysSinceLastTicket: 'days?',
  averageResolutionMinutes: 'number?',
  nps: 'number?',
  csat: 'number?',
  ces: 'number?',
  lastSurveyAt: 'date?',
  /** 0–100 from the churn formula; null when the formula could not give a finite value. */
  churnRisk: 'output',
} as const satisfies Record<string, ComputedTraitKind>

export type ComputedTraitName = keyof typeof COMPUTED_TRAIT_KINDS

type ValueOf<K extends ComputedTraitKind> = K extends 'number'
  ? number
  : K extends 'date?'
    ? string | null
    : number | null

/** A contact's computed traits, one value per name of {@link COMPUTED_TRAIT_KINDS}. */
export type ComputedTraits = {
  -readonly [N in ComputedTraitName]: ValueOf<(typeof COMPUTED_TRAIT_KINDS)[N]>
} & {
  /** The workspace's custom computed traits by name; null when a formula gave no finite value. */
  custom: Record<string, number | null>
}

const NAMES = Object.keys(COMPUTED_TRAIT_KINDS) as ComputedTraitName[]

/** Computed traits kept on the contact: all but the day counts, which go stale by the hour. */
export const STORED_COMPUTED_TRAITS: readonly ComputedTraitName[] = NAMES.filter(
  (n) => COMPUTED_TRAIT_KINDS[n] !== 'days?',
)

/** Presence flags a churn formula may read besides the numeric traits (1 or 0). */
export const CHURN_FLAGS = ['hasOrders', 'hasNps', 'hasCsat', 'hasCes'] as const

/** Names a churn formula may read: the numeric computed traits and the presence flags. */
export const CHURN_FORMULA_VARIABLES: readonly string[] = [
  ...NAMES.filter(
    (n) => COMPUTED_TRAIT_KINDS[n] !== 'date?' && COMPUTED_TRAIT_KINDS[n] !== 'output',
  ),
  ...CHURN_FLAGS,
]
