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
  /**
   * Custom computed traits: each a name and a formula over the same variables as the churn
   * formula (and `churnRisk`), stored on the contact like the built-in traits. At most 50.
   */
  customTraits?: readonly CustomTrait[]
  /**
   * LTV's lifespan: `fixed` uses `expectedLifespanYears`; `observed` uses the workspace's
   * observed average customer lifetime (`observedLifespanYears`, see
   * {@link observedLifespanYears}) once it is known, `expectedLifespanYears` until then.
   */
  lifespanMethod?: 'fixed' | 'observed'
  /** Set by the collector from the workspace's orders (not by hand): years, and when. */
  observedLifespanYears?: number
  observedLifespanAt?: string
}

/** A custom computed trait: `name` (a new trait name) = `formula`. */
export interface CustomTrait {
  name: string
  formula: string
}

export const DEFAULT_TRAITS_CONFIG: ComputedTraitsConfig = {
  expectedLifespanYears: 3,
  minObservationYears: 1,
  dealsAsPurchases: false,
  churnFormula: DEFAULT_CHURN_FORMULA,
}

const DAY = 86_400_000
const YEAR = 365.25 * DAY
// Values too large to scale by 100 are already whole numbers: kept as they are, never Infinity.
const round2 = (n: number) => (Number.isFinite(n * 100) ? Math.round(n * 100) / 100 : n)
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
  const custom = (full.customTraits ?? []).map((t) => ({
    name: t.name,
    formula: compileFormula(t.formula, { knownVariables: CUSTOM_TRAIT_VARIABLES }),
  }))
  return { config: full, compute: (events, now) => derive(events, full, churn, custom, now) }
}

/** What a custom trait's formula may read: the churn formula's variables and `churnRisk`. */
export const CUSTOM_TRAIT_VARIABLES: readonly string[] = [...CHURN_FORMULA_VARIABLES, 'churnRisk']
const MAX_CUSTOM_TRAITS = 50
const TRAIT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/
/** Names a custom trait cannot take: the built-in traits, the formula flags, identity traits. */
const RESERVED = new Set([
  ...CUSTOM_TRAIT_VARIABLES,
  'firstOrderAt',
  'lastOrderAt',
  'lastTicketAt',
  'lastSurveyAt',
  'unconvertedOrders',
  'custom',
  'email',
  'name',
  'firstName',
  'lastName',
  'phone',
  'company',
  'country',
  'address',
])

/**
 * The observed average customer lifetime, in years (docs/lifecycle.md, "Lifetime value"):
 * over customers whose last purchase is at least `churnAfterDays` old (they have left), the
 * mean time from first to last purchase; null with fewer than `minCustomers` such customers.
 * @example observedLifespanYears([{ first: 0, last: 2 * 365.25 * 86_400_000 }], Date.now(), { minCustomers: 1 }) // 2
 */
export function observedLifespanYears(
  customers: readonly { first: number; last: number }[],
  now: number,
  opts: { churnAfterDays?: number; minCustomers?: number } = {},
): { years: number | null; customers: number } {
  const cutoff = now - (opts.churnAfterDays ?? 365) * DAY
  const gone = customers.filter((c) => c.last <= cutoff)
  if (gone.length < (opts.minCustomers ?? 10)) return { years: null, customers: gone.length }
  const total = gone.reduce((sum, c) => sum + (c.last - c.first), 0)
  return { years: round2(total / gone.length / YEAR), customers: gone.length }
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
  if (c.lifespanMethod !== undefined && !['fixed', 'observed'].includes(c.lifespanMethod))
    bad('lifespanMethod must be fixed or observed')
  if (
    c.observedLifespanYears !== undefined &&
    !(positive(c.observedLifespanYears) && c.observedLifespanYears <= 100)
  )
    bad('observedLifespanYears must be a number of years above 0 and at most 100')
  const custom = c.customTraits ?? []
  if (!Array.isArray(custom) || custom.length > MAX_CUSTOM_TRAITS)
    bad(`customTraits must be a list of at most ${MAX_CUSTOM_TRAITS} { name, formula }`)
  const names = new Set<string>()
  for (const t of custom) {
    if (!t || typeof t !== 'object' || typeof t.name !== 'string' || typeof t.formula !== 'string')
      bad('Each custom trait needs a name and a formula')
    if (!TRAIT_NAME.test(t.name))
      bad(`Custom trait name "${t.name}" must be a letter then letters, digits or _ (64 at most)`)
    if (RESERVED.has(t.name)) bad(`"${t.name}" is a built-in trait; choose another name`)
    if (names.has(t.name)) bad(`Custom trait "${t.name}" is defined twice`)
    names.add(t.name)
  }
  return {
    ...c,
    exchangeRates: { ...c.exchangeRates },
    ...(c.customTraits
      ? { customTraits: custom.map((t) => ({ name: t.name, formula: t.formula })) }
      : {}),
  }
}

function derive(
  events: readonly LifecycleEventInput[],
  config: ComputedTraitsConfig,
  churn: Formula,
  custom: readonly { name: string; formula: Formula }[],
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
  const lifespan =
    config.lifespanMethod === 'observed' && config.observedLifespanYears
      ? config.observedLifespanYears
      : config.expectedLifespanYears

  const orderTimes = orders.map((o) => o.at)
  const firstOrder = minOf(orderTimes)
  const lastOrder = maxOf(orderTimes)
  // Orders in a currency without a rate are left out of both the sum and the count (as for
  // lifetime value) and counted as unconverted.
  const ratedOrders = orders.filter((o) => convert(o) !== null)
  const orderRevenue = sum(ratedOrders)
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
    averageOrderValue: ratedOrders.length ? round2(orderRevenue / ratedOrders.length) : null,
    firstOrderAt: iso(firstOrder),
    lastOrderAt: iso(lastOrder),
    daysSinceLastOrder: days(now, lastOrder),
    purchaseFrequency: round2(purchaseFrequency),
    lifetimeValue: round2(averagePurchase * purchaseFrequency * lifespan),
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
    unconvertedOrders: orders.length - ratedOrders.length,
    custom: {},
  }
  traits.churnRisk = churnRisk(churn, traits)
  if (custom.length) {
    const vars = churnVariables(traits)
    for (const t of custom) traits.custom[t.name] = evaluateOrNull(t.formula, vars)
  }
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

/** A custom trait's value, rounded to 4 decimals; null when the formula fails for this contact. */
function evaluateOrNull(formula: Formula, vars: Record<string, number>): number | null {
  try {
    return Math.round(formula.evaluate(vars) * 10_000) / 10_000
  } catch (e) {
    if (e instanceof LifecycleError) return null
    throw e
  }
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
