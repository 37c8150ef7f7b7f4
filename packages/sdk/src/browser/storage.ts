import { COOKIE_KEYS } from '../core/keys.js'
import type { KeyValueStore } from '../core/ports.js'
import { readCookie, writeCookie } from './cookies.js'

export interface StoreOptions {
  /** Cookies and localStorage may be used at all (false: cookie-less mode, memory only). */
  storage: boolean
  cookieDomain?: string
  /** The page's localStorage, or null when blocked (see `safeLocalStorage`). */
  localStorage: Storage | null
}

/**
 * Visitor identity storage: the cookie wins (a cookie on the parent domain is what subdomains
 * share; a stale per-subdomain localStorage copy must not split the visitor), then
 * localStorage, then memory. Works, in memory, when both are blocked; never throws.
 *
 * @example
 * const store = createBrowserStore({ storage: true, localStorage: safeLocalStorage() })
 * store.get('lodestone_aid')
 */
export const createBrowserStore = (o: StoreOptions): KeyValueStore => {
  const memory = new Map<string, string>()
  const ls = o.storage ? o.localStorage : null
  let persisting = false

  const write = (key: string, value: string | null) => {
    if (!o.storage) return
    if (COOKIE_KEYS.includes(key)) writeCookie(key, value, o.cookieDomain)
    try {
      if (value === null) ls?.removeItem(key)
      else ls?.setItem(key, value)
    } catch {
      // quota or blocked: memory keeps the value for this page
    }
  }

  return {
    get(key) {
      if (memory.has(key)) return memory.get(key)!
      if (!o.storage) return null
      let v = COOKIE_KEYS.includes(key) ? readCookie(key) : null
      try {
        v = v || ls?.getItem(key) || null
      } catch {
        // fall through to null
      }
      if (v !== null) memory.set(key, v)
      return v
    },
    set(key, value, always) {
      if (value === null) memory.delete(key)
      else memory.set(key, value)
      if (persisting || always || value === null) write(key, value)
    },
    persist(on) {
      persisting = on
    },
  }
}
