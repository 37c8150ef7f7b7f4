import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { KEYS } from '../core/keys.js'
import { fakeCollector, fakeStorage, settle } from '../test-support/fakes.js'
import { readCookie, writeCookie } from './cookies.js'
import { createLodestone } from './lodestone.js'

let n = 0
const key = () => `wk_consent_${++n}`
const fast = { flushInterval: 5, pageViews: false }
const names = (c: ReturnType<typeof fakeCollector>) =>
  c.events().map((e) => (e.type === 'track' ? e.event : e.type))

beforeEach(() => {
  for (const k of Object.values(KEYS)) writeCookie(k, null)
})
afterEach(() => vi.unstubAllGlobals())

describe('hold-until-consent mode', () => {
  // Pitfall (posthog-js 5043): events captured before consent were dropped. Here they wait
  // in memory and go out on opt-in, with the timestamps of when they happened.
  it('holds events in memory, stores nothing, then sends them with original timestamps', async () => {
    const c = fakeCollector()
    const ls = fakeStorage()
    const l = createLodestone({ fetch: c.fetch, localStorage: ls })
    l.load(key(), { ...fast, requireConsent: true })
    l.track('before consent')
    const heldAt = Date.now()
    await settle(30)
    expect(c.requests).toEqual([])
    expect(ls.data.size).toBe(0)
    expect(readCookie(KEYS.anonymousId)).toBeNull()
    expect(l.consent.get().status).toBe('pending')

    await settle(20)
    l.consent.set({ analytics: true, marketing: false })
    await settle(30)
    expect(names(c)).toEqual(['before consent', 'Consent Updated'])
    const held = c.events()[0]!
    expect(Date.parse(held.timestamp as string)).toBeLessThanOrEqual(heldAt)
    expect(c.events()[1]).toMatchObject({
      properties: { categories: { analytics: true, marketing: false } },
    })
    expect(readCookie(KEYS.anonymousId)).toBe(held.anonymousId)
    expect(l.consent.get()).toEqual({
      status: 'granted',
      categories: { analytics: true, marketing: false },
    })
  })

  it('drops held events when consent is denied, and everything after', async () => {
    const c = fakeCollector()
    const l = createLodestone({ fetch: c.fetch, localStorage: fakeStorage() })
    l.load(key(), { ...fast, requireConsent: true })
    l.track('held')
    l.consent.set(false)
    l.track('after denial')
    await settle(30)
    expect(c.requests).toEqual([])
    expect(l.consent.get().status).toBe('denied')
    expect(readCookie(KEYS.consent)).toBe('{"analytics":false,"marketing":false}')
  })

  it('remembers the decision for the next page', async () => {
    const ls = fakeStorage()
    createLodestone({ fetch: fakeCollector().fetch, localStorage: ls }).load(key(), {
      ...fast,
      requireConsent: true,
    })
    const first = createLodestone({ fetch: fakeCollector().fetch, localStorage: ls })
    first.load(key(), { ...fast, requireConsent: true })
    first.consent.set(true)
    const c = fakeCollector()
    const next = createLodestone({ fetch: c.fetch, localStorage: ls })
    next.load(key(), { ...fast, requireConsent: true })
    next.track('sent at once')
    await settle(30)
    expect(names(c)).toEqual(['sent at once'])
  })

  it('denying after granting removes identity from the device and stops sending', async () => {
    const c = fakeCollector()
    const ls = fakeStorage()
    const l = createLodestone({ fetch: c.fetch, localStorage: ls })
    l.load(key(), fast)
    l.identify('u1', { email: 'a@b.co' })
    await settle(30)
    expect(readCookie(KEYS.userId)).toBe('u1')
    l.consent.set({ analytics: false })
    l.track('not sent')
    await settle(30)
    expect(readCookie(KEYS.userId)).toBeNull()
    expect(readCookie(KEYS.anonymousId)).toBeNull()
    expect(ls.getItem(KEYS.traits)).toBeNull()
    expect(names(c)).toEqual(['identify'])
  })
})

describe('cookie-less mode', () => {
  it('sends events but writes no cookie and no localStorage', async () => {
    const c = fakeCollector()
    const ls = fakeStorage()
    const l = createLodestone({ fetch: c.fetch, localStorage: ls })
    l.load(key(), { ...fast, cookieless: true })
    l.identify('u1', { email: 'a@b.co' })
    l.track('x')
    await settle(30)
    expect(names(c)).toEqual(['identify', 'x'])
    expect(ls.data.size).toBe(0)
    expect(document.cookie).not.toContain('lodestone')
  })
})

describe('Do Not Track / Global Privacy Control', () => {
  it('respected when asked: nothing is sent until consent is given explicitly', async () => {
    vi.stubGlobal('navigator', { userAgent: 'test', language: 'en', globalPrivacyControl: true })
    const c = fakeCollector()
    const l = createLodestone({ fetch: c.fetch, localStorage: fakeStorage() })
    l.load(key(), { ...fast, respectDoNotTrack: true })
    l.track('x')
    await settle(30)
    expect(c.requests).toEqual([])
    l.consent.set(true)
    l.track('y')
    await settle(30)
    expect(names(c)).toEqual(['Consent Updated', 'y'])
  })

  it('ignored unless the site opts in', async () => {
    vi.stubGlobal('navigator', { userAgent: 'test', language: 'en', doNotTrack: '1' })
    const c = fakeCollector()
    const l = createLodestone({ fetch: c.fetch, localStorage: fakeStorage() })
    l.load(key(), fast)
    l.track('x')
    await settle(30)
    expect(names(c)).toEqual(['x'])
  })
})
