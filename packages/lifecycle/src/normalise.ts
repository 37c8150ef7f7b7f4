import { normaliseCountry } from './country.js'
import { checkEmail } from './email.js'
import { checkPhone } from './phone.js'
import { checkAddress } from './address.js'

export { countryKey, listCountries, normaliseCountry, type Country } from './country.js'
export { checkEmail, isDisposableDomain, type EmailCheck } from './email.js'
export { checkPhone, type PhoneCheck } from './phone.js'
export {
  checkAddress,
  postcodeValid,
  REQUIRED_ADDRESS_PARTS,
  type AddressFinding,
} from './address.js'

export type TraitIssueCode =
  | 'invalid_email'
  | 'disposable_email'
  | 'unknown_country'
  | 'invalid_phone'
  | 'phone_country_unknown'
  | 'invalid_postcode'
  | 'missing_address_part'

/** A data-quality finding. Values are kept (flagged, not dropped) so nothing sent is lost. */
export interface TraitIssue {
  /** Dotted path of the trait, e.g. `address.country`. */
  path: string
  code: TraitIssueCode
  message: string
  value: unknown
}

export interface NormalisedTraits {
  traits: Record<string, unknown>
  issues: TraitIssue[]
}

const TRIMMED = ['firstName', 'lastName', 'name', 'company', 'title', 'industry'] as const

/**
 * Applies ingest-time data quality to identify traits: e-mail trimmed and lower-cased,
 * country (and `address.country`) to ISO 3166-1 alpha-2, phone to E.164 using the contact's
 * country, names trimmed. Never mutates the input; invalid values stay as sent and are listed
 * in `issues`.
 * @example
 * normaliseTraits({ email: ' Ana@X.io ', country: 'USA', phone: '(415) 555-2671' })
 * // { traits: { email: 'ana@x.io', country: 'US', phone: '+14155552671' }, issues: [] }
 */
export function normaliseTraits(input: Readonly<Record<string, unknown>>): NormalisedTraits {
  const traits: Record<string, unknown> = { ...input }
  const issues: TraitIssue[] = []
  const flag = (path: string, code: TraitIssueCode, message: string, value: unknown) =>
    issues.push({ path, code, message, value })

  for (const key of TRIMMED) {
    const v = traits[key]
    if (typeof v === 'string') traits[key] = v.trim().replace(/\s+/g, ' ')
  }

  if (traits.email !== undefined && traits.email !== null) {
    if (typeof traits.email !== 'string') {
      flag('email', 'invalid_email', 'E-mail is not text', traits.email)
    } else {
      const e = checkEmail(traits.email)
      traits.email = e.email
      if (!e.valid) flag('email', 'invalid_email', `"${e.email}" is not a valid e-mail`, e.email)
      if (e.disposable) {
        flag('email', 'disposable_email', `"${e.email}" uses a disposable domain`, e.email)
      }
    }
  }

  const country = fixCountry(traits, 'country', 'country', flag)
  const address = traits.address
  let addressCountry: string | null = null
  if (address !== null && typeof address === 'object' && !Array.isArray(address)) {
    const copy = { ...(address as Record<string, unknown>) }
    addressCountry = fixCountry(copy, 'country', 'address.country', flag)
    for (const f of checkAddress(copy, addressCountry ?? country))
      flag(`address.${f.part}`, f.code, f.message, f.value)
    traits.address = copy
  }

  if (typeof traits.phone === 'string' && traits.phone.trim() !== '') {
    const p = checkPhone(traits.phone, country ?? addressCountry)
    if (p.ok) traits.phone = p.e164
    else if (p.reason === 'invalid_phone') {
      flag('phone', p.reason, `"${traits.phone}" is not a valid phone number`, traits.phone)
    } else {
      flag('phone', p.reason, 'A national phone number needs the contact country', traits.phone)
    }
  }
  return { traits, issues }
}

function fixCountry(
  target: Record<string, unknown>,
  key: string,
  path: string,
  flag: (path: string, code: TraitIssueCode, message: string, value: unknown) => void,
): string | null {
  const v = target[key]
  if (typeof v !== 'string' || v.trim() === '') return null
  const code = normaliseCountry(v)
  if (code) {
    target[key] = code
    return code
  }
  target[key] = v.trim()
  flag(path, 'unknown_country', `"${v.trim()}" is not a known country`, v)
  return null
}
