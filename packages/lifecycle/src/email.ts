import { disposableEmailBlocklist } from 'disposable-email-domains-js'

// Throw-away mailbox services, from the maintained disposable-email-domains list (npm
// `disposable-email-domains-js`, CC0, ~8,900 domains). Addresses on them are flagged, not
// rejected: a real person may still be behind one, but they rarely turn into a customer.
// Built on first use: the package hands out a fresh copy on every call.
let disposable: ReadonlySet<string> | undefined
const disposableDomains = () => (disposable ??= new Set(disposableEmailBlocklist()))

export interface EmailCheck {
  /** Trimmed and lower-cased, the form identity matching uses. */
  email: string
  valid: boolean
  disposable: boolean
}

// Pragmatic syntax (RFC 5321 sizes, dot-atom local part, dotted host with a real TLD);
// quoted local parts and IP-literal hosts are legal but never seen from real sign-ups.
const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u
const TLD = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u

/**
 * Normalises and checks an e-mail address.
 * @example checkEmail('  Ana@Mailinator.com ') // { email: 'ana@mailinator.com', valid: true, disposable: true }
 */
export function checkEmail(input: string): EmailCheck {
  const email = input.trim().toLowerCase()
  const at = email.lastIndexOf('@')
  const local = email.slice(0, at)
  const domain = email.slice(at + 1)
  const labels = domain.split('.')
  const valid =
    at > 0 &&
    email.length <= 254 &&
    local.length <= 64 &&
    LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((l) => LABEL.test(l)) &&
    TLD.test(labels[labels.length - 1] as string)
  return { email, valid, disposable: valid && isDisposableDomain(domain) }
}

/**
 * True for a known disposable-mail domain or any subdomain of one.
 * @example isDisposableDomain('eu.yopmail.com') // true
 */
export function isDisposableDomain(domain: string): boolean {
  const parts = domain.trim().toLowerCase().replace(/\.$/, '').split('.')
  for (let i = 0; i < parts.length - 1; i++) {
    if (disposableDomains().has(parts.slice(i).join('.'))) return true
  }
  return false
}
