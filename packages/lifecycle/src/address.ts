import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator'

/** The parts of a Segment `address` trait every complete address has. */
export const REQUIRED_ADDRESS_PARTS = ['street', 'city', 'country'] as const

export type AddressFinding =
  | { code: 'invalid_postcode'; part: 'postalCode'; message: string; value: unknown }
  | { code: 'missing_address_part'; part: string; message: string; value: unknown }

const text = (v: unknown) => (typeof v === 'string' ? v.trim().replace(/\s+/g, ' ') : '')

/**
 * Whether a postcode fits its country's format, from the maintained per-country formats of the
 * `postcode-validator` package; null when the country has no postcodes (or no known format).
 * @example postcodeValid('ABCDE', 'US') // false
 * @example postcodeValid('SW1A 1AA', 'GB') // true
 */
export function postcodeValid(postcode: string, country: string): boolean | null {
  if (!postcodeValidatorExistsForCountry(country)) return null
  // Formats are fixed patterns of at most a few dozen characters; longer input cannot fit one.
  if (postcode.length > 20) return false
  return postcodeValidator(postcode, country)
}

/**
 * Checks and tidies an `address` trait (a copy is changed, never the input): parts trimmed,
 * the postcode upper-cased when its country's format accepts it; findings for a postcode that
 * does not fit the country and for required parts that are missing (street, city, country, and
 * the postcode where the country uses one). `country` is the address's (normalised) country,
 * else the contact's.
 */
export function checkAddress(
  address: Record<string, unknown>,
  country: string | null,
): AddressFinding[] {
  const findings: AddressFinding[] = []
  for (const key of ['street', 'city', 'state', 'region', 'postalCode'])
    if (typeof address[key] === 'string') address[key] = text(address[key])
  const postcode = text(address.postalCode)
  if (postcode && country) {
    const upper = postcode.toUpperCase()
    const valid = postcodeValid(upper, country)
    if (valid === false)
      findings.push({
        code: 'invalid_postcode',
        part: 'postalCode',
        message: `"${postcode}" is not a valid postcode for ${country}`,
        value: address.postalCode,
      })
    else if (valid) address.postalCode = upper
  }
  const required: string[] = [...REQUIRED_ADDRESS_PARTS]
  if (country && postcodeValidatorExistsForCountry(country)) required.push('postalCode')
  for (const part of required) {
    if (part === 'country' ? country || text(address.country) : text(address[part])) continue
    findings.push({
      code: 'missing_address_part',
      part,
      message: `The address has no ${part}`,
      value: address[part] ?? null,
    })
  }
  return findings
}
