import { beforeEach, describe, expect, it } from 'vitest'
import { KEYS } from '../core/keys.js'
import { fakeStorage } from '../test-support/fakes.js'
import { readCookie, writeCookie } from './cookies.js'
import { createBrowserStore } from './storage.js'

beforeEach(() => {
  for (const k of Object.values(KEYS)) writeCookie(k, null)
})

describe('browser store', () => {
  // Pitfall (analytics-next issue 706): reading localStorage before the shared cookie split
  // one visitor into two anonymous ids across subdomains.
  it('the cookie wins over localStorage, and localStorage is brought in line', () => {
    const ls = fakeStorage()
    ls.setItem(KEYS.anonymousId, 'from-local-storage')
    writeCookie(KEYS.anonymousId, 'from-shared-cookie')
    const store = createBrowserStore({ storage: true, localStorage: ls })
    store.persist(true)
    expect(store.get(KEYS.anonymousId)).toBe('from-shared-cookie')
    store.set(KEYS.anonymousId, store.get(KEYS.anonymousId))
    expect(ls.getItem(KEYS.anonymousId)).toBe('from-shared-cookie')
  })

  it('falls back to localStorage when the cookie is gone', () => {
    const ls = fakeStorage()
    ls.setItem(KEYS.anonymousId, 'kept')
    expect(createBrowserStore({ storage: true, localStorage: ls }).get(KEYS.anonymousId)).toBe(
      'kept',
    )
  })

  it('writes nothing to the device until persisting, except what must always be kept', () => {
    const ls = fakeStorage()
    const store = createBrowserStore({ storage: true, localStorage: ls })
    store.set(KEYS.anonymousId, 'a1')
    expect(store.get(KEYS.anonymousId)).toBe('a1')
    expect(ls.getItem(KEYS.anonymousId)).toBeNull()
    expect(readCookie(KEYS.anonymousId)).toBeNull()
    store.set(KEYS.consent, '{"analytics":false}', true)
    expect(readCookie(KEYS.consent)).toBe('{"analytics":false}')
    store.persist(true)
    store.set(KEYS.anonymousId, 'a2')
    expect(readCookie(KEYS.anonymousId)).toBe('a2')
    expect(ls.getItem(KEYS.anonymousId)).toBe('a2')
  })

  it('never throws when localStorage is full or throws on every call', () => {
    const hostile = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError')
      },
      removeItem: () => {
        throw new Error('SecurityError')
      },
    } as unknown as Storage
    const store = createBrowserStore({ storage: true, localStorage: hostile })
    store.persist(true)
    expect(() => store.set(KEYS.traits, '{"a":1}')).not.toThrow()
    expect(store.get(KEYS.traits)).toBe('{"a":1}')
    expect(() => store.set(KEYS.traits, null)).not.toThrow()
    expect(store.get('missing')).toBeNull()
  })

  it('cookie-less mode keeps everything in memory', () => {
    const ls = fakeStorage()
    const store = createBrowserStore({ storage: false, localStorage: ls })
    store.persist(true)
    store.set(KEYS.anonymousId, 'mem')
    expect(store.get(KEYS.anonymousId)).toBe('mem')
    expect(ls.data.size).toBe(0)
    expect(readCookie(KEYS.anonymousId)).toBeNull()
  })
})
