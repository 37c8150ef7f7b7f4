import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max'

export type PhoneCheck =
  | { ok: true; e164: string; country: string | null }
  | { ok: false; reason: 'invalid_phone' | 'phone_country_unknown' }

/**
 * Converts a phone number to E.164. International input (`+…` or `00…`) needs no country;
 * national input needs the contact's ISO country code, else the reason is
 * `phone_country_unknown`. Uses the full metadata so validity is checked per number range.
 * @example checkPhone('030 1234567', 'DE') // { ok: true, e164: '+49301234567', country: 'DE' }
 */
export function checkPhone(input: string, country?: string | null): PhoneCheck {
  const text = input.trim().replace(/^00(?=[1-9])/, '+')
  if (text.length === 0 || text.length > 64) return { ok: false, reason: 'invalid_phone' }
  const international = text.startsWith('+')
  const region = country && isSupportedCountry(country) ? country : undefined
  if (!international && !region) return { ok: false, reason: 'phone_country_unknown' }
  const parsed = parsePhoneNumberFromString(text, region)
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'invalid_phone' }
  return { ok: true, e164: parsed.number, country: parsed.country ?? null }
}
