import { readJson } from './json.js'
import { KEYS } from './keys.js'
import type { KeyValueStore } from './ports.js'
import type { ConsentCategories, ConsentState } from './types.js'

export interface ConsentOptions {
  requireConsent: boolean
  /** Do Not Track / Global Privacy Control is on and the site asked to respect it. */
  optOut: boolean
}

/**
 * The consent decision: a stored choice wins; without one, a privacy signal means denied,
 * `requireConsent` means pending (hold), and otherwise collection is granted.
 *
 * @example
 * const consent = createConsent(store, { requireConsent: true, optOut: false })
 * consent.get().status // 'pending'
 */
export const createConsent = (store: KeyValueStore, o: ConsentOptions) => {
  let stored = readJson<ConsentCategories | null>(store.get(KEYS.consent), null)
  let categories: ConsentCategories = stored ?? {}

  const get = (): ConsentState => ({
    status: stored
      ? categories.analytics === true
        ? 'granted'
        : 'denied'
      : o.optOut
        ? 'denied'
        : o.requireConsent
          ? 'pending'
          : 'granted',
    categories: { ...categories },
  })

  return {
    get,
    /** Records a choice; answers whether it changed anything. */
    set(input: boolean | ConsentCategories): boolean {
      const next: ConsentCategories =
        typeof input === 'boolean'
          ? { analytics: input, marketing: input }
          : { ...categories, ...input }
      const text = JSON.stringify(next)
      if (stored && text === JSON.stringify(categories)) return false
      stored = categories = next
      store.set(KEYS.consent, text, true)
      return true
    },
  }
}

export type Consent = ReturnType<typeof createConsent>
