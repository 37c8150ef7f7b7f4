const YEAR_SECONDS = 365 * 24 * 3600

/** Reads one cookie; null when absent or when cookies are blocked. */
export const readCookie = (name: string): string | null => {
  try {
    // Names are the SDK's own keys (letters and underscores): no escaping needed.
    return decodeURIComponent(document.cookie.match(`(?:^|; )${name}=([^;]*)`)?.[1] || '') || null
  } catch {
    return null // cookies blocked (or a malformed value): the caller falls back
  }
}

/**
 * Writes (or, with null, removes) a first-party cookie for a year. A `domain` such as
 * `.example.com` lets subdomains share it. Never throws.
 *
 * @example
 * writeCookie('lodestone_aid', id, '.example.com')
 */
export const writeCookie = (name: string, value: string | null, domain?: string): void => {
  try {
    const attrs =
      `; path=/; max-age=${value === null ? 0 : YEAR_SECONDS}; SameSite=Lax` +
      (domain ? `; domain=${domain}` : '') +
      (location.protocol === 'https:' ? '; Secure' : '')
    document.cookie = `${name}=${value === null ? '' : encodeURIComponent(value)}${attrs}`
  } catch {
    // cookies blocked: localStorage and memory still hold the value
  }
}
