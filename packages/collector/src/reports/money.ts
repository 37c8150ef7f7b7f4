/** The reporting currency and rates of a workspace (its computed-traits settings). */
export interface MoneySettings {
  currency?: string
  exchangeRates?: Readonly<Record<string, number>>
}

/**
 * An amount in the reporting currency, or null when it cannot be converted (a currency with no
 * rate). Without a reporting currency amounts are summed as sent, as for lifetime value
 * (docs/lifecycle.md).
 * @example toReporting(100, 'EUR', { currency: 'USD', exchangeRates: { EUR: 1.1 } }) // 110
 */
export function toReporting(
  amount: number,
  currency: unknown,
  money: MoneySettings,
): number | null {
  if (!Number.isFinite(amount)) return null
  if (!money.currency) return amount
  const code = typeof currency === 'string' ? currency.toUpperCase() : ''
  if (code === money.currency || code === '') return amount
  const rate = money.exchangeRates
    ? Object.hasOwn(money.exchangeRates, code)
      ? money.exchangeRates[code]
      : undefined
    : undefined
  return rate === undefined ? null : amount * rate
}

/** Rounds money to cents for reports (sums are kept exact until shown). */
export const cents = (v: number) => Math.round(v * 100) / 100
