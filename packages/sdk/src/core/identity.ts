import { readJson } from './json.js'
import { KEYS } from './keys.js'
import type { KeyValueStore } from './ports.js'
import type { SubscriptionStatus, Traits } from './types.js'
import { uuid } from './uuid.js'

/**
 * Who the visitor is: anonymousId, userId and traits, read from the store (cookie first, so
 * subdomains sharing a cookie agree) and written back through it.
 *
 * @example
 * const identity = createIdentity(store)
 * identity.identify('u_1', { email: 'a@b.co' })
 */
export const createIdentity = (store: KeyValueStore) => {
  let anonymousId = store.get(KEYS.anonymousId) || uuid()
  let userId = store.get(KEYS.userId)
  let traits = readJson<Traits>(store.get(KEYS.traits), {})
  let subscriptions = readJson<Record<string, SubscriptionStatus>>(
    store.get(KEYS.subscriptions),
    {},
  )

  const save = () => {
    store.set(KEYS.anonymousId, anonymousId)
    store.set(KEYS.userId, userId)
    store.set(KEYS.traits, JSON.stringify(traits))
    store.set(KEYS.subscriptions, JSON.stringify(subscriptions))
  }
  // Re-writing syncs localStorage (and the cookie's expiry) to the value that won.
  store.set(KEYS.anonymousId, anonymousId)

  return {
    anonymousId: () => anonymousId,
    userId: () => userId,
    traits: () => ({ ...traits }),
    subscriptions: () => ({ ...subscriptions }),
    /** Writes everything out again (consent was just granted). */
    save,
    setAnonymousId(id: string) {
      anonymousId = id
      store.set(KEYS.anonymousId, id)
    },
    identify(id: string | null | undefined, more: Traits | undefined) {
      if (id != null && id !== userId) {
        // A different person logged in on this device: their traits start afresh.
        if (userId) traits = {}
        userId = id
        store.set(KEYS.userId, id)
      }
      if (more) {
        traits = { ...traits, ...more }
        store.set(KEYS.traits, JSON.stringify(traits))
      }
    },
    updateSubscriptions(topics: Record<string, SubscriptionStatus>) {
      subscriptions = { ...subscriptions, ...topics }
      store.set(KEYS.subscriptions, JSON.stringify(subscriptions))
    },
    reset() {
      userId = null
      traits = {}
      subscriptions = {}
      anonymousId = uuid()
      save()
    },
    /** Takes everything identifying off the device (consent denied); memory keeps working. */
    forget() {
      for (const k of [KEYS.anonymousId, KEYS.userId, KEYS.traits, KEYS.subscriptions])
        store.set(k, null)
    },
  }
}

export type Identity = ReturnType<typeof createIdentity>
