import { readJson } from './json.js'
import { KEYS } from './keys.js'
import type { KeyValueStore } from './ports.js'
import type { ConsentCategories, ConsentState, ConsentStatus } from './types.js'

/**
 * The consent decision: a stored choice wins; without one, the status `unset` says (the caller
 * makes it denied for a respected privacy signal, pending when consent is required, otherwise
 * granted).
 *
 * @example
 * const consent = createConsent(store, 'pending')
 * consent.get().status // 'pending' until a choice is stored
 */
export const createConsent = (store: KeyValueStore, unset: ConsentStatus) => {
  let stored = readJson<ConsentCategories | null>(store.get(KEYS.consent), null)
  let categories: ConsentCategories = stored ?? {}

  const get = (): ConsentState => ({
    status: stored ? (categories.analytics === true ? 'granted' : 'denied') : unset,
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
