/** Storage keys (cookie names and localStorage keys alike). */
export const KEYS = {
  anonymousId: 'lodestone_aid',
  userId: 'lodestone_uid',
  traits: 'lodestone_traits',
  consent: 'lodestone_consent',
  subscriptions: 'lodestone_subs',
} as const

/** The keys small and shared enough to go in a cookie (so subdomains agree). */
export const COOKIE_KEYS: readonly string[] = [KEYS.anonymousId, KEYS.userId, KEYS.consent]

export const LIBRARY = { name: '@lodestone/sdk', version: '0.1.0' } as const

/** Semantic event names the core itself emits or watches (strings: protocol is types-only). */
export const SUBSCRIPTIONS_UPDATED = 'Subscription Preferences Updated'
export const CONSENT_UPDATED = 'Consent Updated'
