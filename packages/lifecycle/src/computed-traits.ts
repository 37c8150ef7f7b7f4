import { compileFormula, type Formula } from './formula.js'
import { DEFAULT_CHURN_FORMULA } from './churn.js'
import { CHURN_FORMULA_VARIABLES, type ComputedTraits } from './computed-trait-names.js'
import { LifecycleError } from './errors.js'
import { collectFacts, type LifecycleEventInput, type Money } from './lifecycle-facts.js'

export type { LifecycleEventInput } from './lifecycle-facts.js'

/** Per-workspace settings of the computed traits. */
export interface ComputedTraitsConfig {
  /** How long a customer is expected to stay, in years (LTV's lifespan). Default 3. */
  expectedLifespanYears: number
  /** Shortest history purchase frequency is averaged over, in years, so one recent order is
   * not read as hundreds a year. Default 1. */
  minObservationYears: number
  /** Count won deals' amounts as purchases in LTV (B2B without `Order Completed`). Default false. */
  dealsAsPurchases: boolean
  /** Reporting currency. When set, other currencies convert with `exchangeRates` or are left out;
   * when unset, amounts are summed as sent. */
  currency?: string
  /** Units of `currency` per one unit of the keyed currency, e.g. `{ EUR: 1.08 }`. */
  exchangeRates?: Readonly<Record<string, number>>
  /** Churn-risk formula in the safe expression language; see {@link DEFAULT_CHURN_FORMULA}. */
  churnFormula: string
}

export const DEFAULT_TRAITS_CONFIG: ComputedTraitsConfig = {
  expectedLifespanYears: 3,
  minObservationYears: 1,
  dealsAsPurchases: false,
  churnFormula: DEFAULT_CHURN_FORMULA,
}

const DAY = 86_400_000
const YEAR = 365.25 * DAY
const round2 = (n: number) => Math.round(n * 100) / 100
const iso = (t: number | null | undefined) => (t == null ? null : new Date(t).toISOString())
const days = (now: number, t: number | null) => (t === null ? null : round2((now - t) / DAY))
// reduce, not Math.min(...xs): spreading a very long array overflows the stack.
const minOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => Math.min(a, b)) : null)
const maxOf = (xs: number[]) => (xs.length ? xs.reduce((a, b) => Math.max(a, b)) : null)

/** A configured trait computer; build one per workspace configuration and reuse it. */
export interface TraitComputer {
  readonly config: ComputedTraitsConfig
  compute(events: readonly LifecycleEventInput[], now: Date | string | number): ComputedTraits
}

/**
 * Validates the configuration and compiles the churn formula once.
 * Traits are recomputed from all of a contact's lifecycle events rather than maintained
 * incrementally: the result then does not depend on arrival order, duplicates or merges.
 * @example
 * const traits = createTraitComputer({ expectedLifespanYears: 5 })
 * traits.compute(events, new Date()).lifetimeValue
 */
export function createTraitComputer(config: Partial<ComputedTraitsConfig> = {}): TraitComputer {
  const full = checkConfig({ ...DEFAULT_TRAITS_CONFIG, ...config })
  const churn = compileFormula(full.churnFormula, { knownVariables: CHURN_FORMULA_VARIABLES })
  return { config: full, compute: (events, now) => derive(events, full, churn, now) }
}

/**
 * One-shot form of {@link createTraitComputer}.
 * @example computeTraits(events, {}, new Date('2025-01-01')).ticketsOpen
 */
export function computeTraits(
  events: readonly LifecycleEventInput[],
  config: Partial<ComputedTraitsConfig> = {},
  now: Date | string | number = Date.now(),
): ComputedTraits {
  return createTraitComputer(config).compute(events, now)
}

function checkConfig(c: ComputedTraitsConfig): ComputedTraitsConfig {
  const positive = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0
  const bad = (message: string): never => {
    throw new LifecycleError('invalid_config', message)
  }
  if (!positive(c.expectedLifespanYears) || c.expectedLifespanYears > 100) {
    bad('expectedLifespanYears must be a number of years above 0 and at most 100')
  }
  if (!positive(c.minObservationYears) || c.minObservationYears > 100) {
    bad('minObservationYears must be a number of years above 0 and at most 100')
  }
  if (c.currency !== undefined && !/^[A-Z]{3}$/.test(c.currency)) {
    bad('currency must be an upper-case ISO 4217 code')
  }
  for (const [code, rate] of Object.entries(c.exchangeRates ?? {})) {
    if (!/^[A-Z]{3}$/.test(code) || !positive(rate)) bad(`Bad exchange rate ${code}: ${rate}`)
  }
  return { ...c, exchangeRates: { ...c.exchangeRates } }
}

function derive(
  events: readonly LifecycleEventInput[],
  config: ComputedTraitsConfig,
  churn: Formula,
  nowInput: Date | string | number,
): ComputedTraits {
  const now = new Date(nowInput).getTime()
  if (!Number.isFinite(now)) throw new LifecycleError('invalid_config', 'now is not a valid date')
  const facts = collectFacts(events)
  const convert = (m: Money): number | null => {
    if (!config.currency || m.currency === config.currency) return m.amount
    const rate = config.exchangeRates?.[m.currency]
    return rate === undefined ? null : m.amount * rate
  }
  const sum = (xs: Iterable<Money>) => [...xs].reduce((s, m) => s + (convert(m) ?? 0), 0)

  const orders = [...facts.orders.values()]
  const deals = [...facts.deals.values()]
  const purchases = [
    ...orders,
    ...(config.dealsAsPurchases ? deals.filter((d) => d.won) : []),
  ].filter((p) => convert(p) !== null)
  const purchaseTotal = sum(purchases)
  const firstPurchase = minOf(purchases.map((p) => p.at))
  const observedYears = Math.max(
    firstPurchase === null ? 0 : (now - firstPurchase) / YEAR,
    config.minObservationYears,
  )
  const purchaseFrequency = purchases.length / observedYears
  const averagePurchase = purchases.length ? purchaseTotal / purchases.length : 0

  const orderTimes = orders.map((o) => o.at)
  const firstOrder = minOf(orderTimes)
  const lastOrder = maxOf(orderTimes)
  const orderRevenue = sum(orders)
  const won = deals.filter((d) => d.won)
  const lost = deals.filter((d) => !d.won)

  const tickets = [...facts.tickets.values()]
  const lastTicket = maxOf(tickets.map((t) => t.createdAt))
  const resolutions = tickets.flatMap((t) =>
    t.resolutionMinutes === null ? [] : [t.resolutionMinutes],
  )
  const { nps, csat, ces } = facts.surveys
  const surveyTimes = [nps, csat, ces].flatMap((s) => (s ? [s.at] : []))

  const traits: ComputedTraits = {
    orderCount: orders.length,
    totalRevenue: round2(orderRevenue),
    averageOrderValue: orders.length ? round2(orderRevenue / orders.length) : null,
    firstOrderAt: iso(firstOrder),
    lastOrderAt: iso(lastOrder),
    daysSinceLastOrder: days(now, lastOrder),
    purchaseFrequency: round2(purchaseFrequency),
    lifetimeValue: round2(averagePurchase * purchaseFrequency * config.expectedLifespanYears),
    dealsWon: won.length,
    dealsLost: lost.length,
    dealsWonAmount: round2(sum(won)),
    dealsLostAmount: round2(sum(lost)),
    ticketsTotal: tickets.length,
    ticketsOpen: tickets.filter((t) => t.open).length,
    ticketsLast30Days: tickets.filter((t) => now - t.createdAt <= 30 * DAY).length,
    lastTicketAt: iso(lastTicket),
    daysSinceLastTicket: days(now, lastTicket),
    averageResolutionMinutes: resolutions.length
      ? round2(resolutions.reduce((a, b) => a + b, 0) / resolutions.length)
      : null,
    nps: nps?.score ?? null,
    csat: csat?.score ?? null,
    ces: ces?.score ?? null,
    lastSurveyAt: iso(maxOf(surveyTimes)),
    churnRisk: null,
  }
  traits.churnRisk = churnRisk(churn, traits)
  return traits
}

/** Formula variables for a set of traits: numbers as they are, nulls left out, plus flags. */
export function churnVariables(traits: ComputedTraits): Record<string, number> {
  const vars: Record<string, number> = {
    hasOrders: traits.orderCount > 0 ? 1 : 0,
    hasNps: traits.nps === null ? 0 : 1,
    hasCsat: traits.csat === null ? 0 : 1,
    hasCes: traits.ces === null ? 0 : 1,
  }
  for (const [k, v] of Object.entries(traits)) if (typeof v === 'number') vars[k] = v
  return vars
}

function churnRisk(formula: Formula, traits: ComputedTraits): number | null {
  try {
    const v = formula.evaluate(churnVariables(traits))
    return Math.round(Math.min(100, Math.max(0, v)))
  } catch (e) {
    // A formula like `1 / log(csat - csat)` is valid but can fail for some contacts;
    // that contact gets no churn risk rather than a failed ingest.
    if (e instanceof LifecycleError) return null
    throw e
  }
}
