const YEAR_SECONDS = 365 * 24 * 3600

/** Reads one cookie; null when absent or when cookies are blocked. */
export function readCookie(name: string): string | null {
  try {
    for (const part of document.cookie.split('; ')) {
      const eq = part.indexOf('=')
      if (part.slice(0, eq) === name) return decodeURIComponent(part.slice(eq + 1)) || null
    }
  } catch {
    // cookies blocked: the caller falls back
  }
  return null
}

/**
 * Writes (or, with null, removes) a first-party cookie for a year. A `domain` such as
 * `.example.com` lets subdomains share it. Never throws.
 *
 * @example
 * writeCookie('lodestone_aid', id, '.example.com')
 */
export function writeCookie(name: string, value: string | null, domain?: string): void {
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
