import { beforeEach, describe, expect, it, vi } from 'vitest'
import { KEYS } from '../core/keys.js'
import type { Plugin } from '../core/plugin.js'
import {
  fakeCollector,
  fakeLockManager,
  fakeStorage,
  networkError,
  settle,
} from '../test-support/fakes.js'
import { writeCookie } from './cookies.js'
import { createLodestone } from './lodestone.js'

let n = 0
const key = () => `wk_test_${++n}`
const fast = { flushInterval: 5, pageViews: false }

beforeEach(() => {
  for (const k of Object.values(KEYS)) writeCookie(k, null)
  localStorage.clear()
})

describe('lodestone API', () => {
  it('sends analytics.js-shaped events with ids, timestamps, context and library', async () => {
    const c = fakeCollector()
    const l = createLodestone({ fetch: c.fetch, localStorage: fakeStorage() })
    l.load(key(), fast)
    l.track('Signed Up', { plan: 'pro' })
    l.identify('u1', { email: 'a@b.co' })
    l.group('g1', { name: 'Acme' })
    l.alias('u2')
    l.page('Docs', 'Install', { extra: 1 })
    await l.flush()
    const [track, identify, group, alias, page] = c.events()
    expect(track).toMatchObject({ type: 'track', event: 'Signed Up', properties: { plan: 'pro' } })
    expect(track!.messageId).toMatch(/^[0-9a-f-]{36}$/)
    expect(track!.context).toMatchObject({
      library: { name: '@lodestone/sdk' },
      page: { path: location.pathname },
    })
    expect(identify).toMatchObject({ type: 'identify', userId: 'u1', traits: { email: 'a@b.co' } })
    expect(group).toMatchObject({ type: 'group', groupId: 'g1', userId: 'u1' })
    expect(alias).toMatchObject({ type: 'alias', userId: 'u2', previousId: 'u1' })
    expect(page).toMatchObject({
      type: 'page',
      category: 'Docs',
      name: 'Install',
      properties: { extra: 1, path: location.pathname },
    })
    expect(new Set(c.events().map((e) => e.anonymousId)).size).toBe(1)
  })

  it('user() reads identity; reset() forgets the user and starts a new anonymous id', () => {
    const l = createLodestone({ fetch: fakeCollector().fetch })
    l.load(key(), fast)
    const anon = l.user().anonymousId()
    l.identify('u1', { plan: 'pro' })
    expect([l.user().id(), l.user().traits()]).toEqual(['u1', { plan: 'pro' }])
    l.reset()
    expect(l.user().id()).toBeNull()
    expect(l.user().traits()).toEqual({})
    expect(l.user().anonymousId()).not.toBe(anon)
  })

  it('replays calls made before load, in order, and runs ready callbacks', async () => {
    const c = fakeCollector()
    const l = createLodestone({ fetch: c.fetch })
    l.track('first')
    l.identify('u1')
    const ready = vi.fn()
    void l.ready(ready)
    l.load(key(), fast)
    await l.ready()
    await l.flush()
    expect(ready).toHaveBeenCalledOnce()
    expect(c.events().map((e) => e.type)).toEqual(['track', 'identify'])
  })

  it('subscriptions.set sends topics and remembers them, also when a plugin reports them', async () => {
    const c = fakeCollector()
    let ctx!: Parameters<NonNullable<Plugin['setup']>>[0]
    const l = createLodestone({ fetch: c.fetch })
    l.load(key(), { ...fast, plugins: [{ name: 'p', setup: (x) => void (ctx = x) }] })
    l.subscriptions.set({ newsletter: true, offers: 'unsubscribed' })
    ctx.track('Subscription Preferences Updated', { topics: { webinars: 'subscribed' } })
    await l.flush()
    expect(c.events()[0]).toMatchObject({
      event: 'Subscription Preferences Updated',
      properties: { topics: { newsletter: 'subscribed', offers: 'unsubscribed' } },
    })
    expect(l.subscriptions.get()).toEqual({
      newsletter: 'subscribed',
      offers: 'unsubscribed',
      webinars: 'subscribed',
    })
  })

  it('runs plugins: before may drop, enrich adds, a throwing plugin costs nothing', async () => {
    const c = fakeCollector()
    const l = createLodestone({ fetch: c.fetch })
    const plugins: Plugin[] = [
      { name: 'drop', before: (e) => (e.type === 'track' && e.event === 'secret' ? null : e) },
      {
        name: 'bad',
        enrich: () => {
          throw new Error('bug')
        },
        setup: () => {
          throw new Error('bug')
        },
      },
      { name: 'tag', enrich: (e) => ({ ...e, context: { ...e.context, tagged: true } }) },
    ]
    l.load(key(), { ...fast, plugins })
    l.track('secret')
    l.track('public')
    await l.flush()
    expect(c.events().map((e) => [e.type === 'track' && e.event, e.context?.tagged])).toEqual([
      ['public', true],
    ])
  })
})

describe('plugin teardown', () => {
  it('keeps what setup returns and calls it on teardown, newest first, once', () => {
    const l = createLodestone({ fetch: fakeCollector().fetch })
    const calls: string[] = []
    const plugins: Plugin[] = [
      { name: 'a', setup: () => () => calls.push('a') },
      { name: 'none', setup: () => undefined },
      {
        name: 'b',
        setup: () => () => {
          calls.push('b')
          throw new Error('a broken teardown costs the others nothing')
        },
      },
      { name: 'c', setup: () => () => calls.push('c') },
    ]
    l.load(key(), { ...fast, plugins })
    expect(calls).toEqual([])
    l.teardown?.()
    expect(calls).toEqual(['c', 'b', 'a'])
    l.teardown?.()
    expect(calls).toEqual(['c', 'b', 'a'])
  })
})

describe('lodestone delivery', () => {
  it('persists the queue and a reload sends it (Web Locks handover)', async () => {
    const ls = fakeStorage()
    const locks = fakeLockManager()
    const wk = key()
    const offline = fakeCollector()
    offline.respond(networkError(), networkError(), networkError())
    const before = createLodestone({
      fetch: offline.fetch,
      localStorage: ls,
      locks: locks.forTab('old'),
    })
    before.load(wk, { ...fast, retry: { baseMs: 60_000 } })
    before.track('a')
    before.track('b')
    await settle(20)
    expect(offline.requests).toHaveLength(1)

    locks.kill('old') // the reload tears the old document down
    const c = fakeCollector()
    const after = createLodestone({ fetch: c.fetch, localStorage: ls, locks: locks.forTab('new') })
    after.load(wk, fast)
    await settle(20)
    expect(c.events().map((e) => e.type === 'track' && e.event)).toEqual(['a', 'b'])
    expect(c.events().map((e) => e.messageId)).toEqual(
      offline.requests[0]!.body.batch.map((e) => e.messageId),
    )
  })

  it('anonymousId: the shared cookie wins over a stale localStorage copy', async () => {
    writeCookie(KEYS.anonymousId, 'cookie-id')
    const ls = fakeStorage()
    ls.setItem(KEYS.anonymousId, 'local-id')
    const l = createLodestone({ fetch: fakeCollector().fetch, localStorage: ls })
    l.load(key(), fast)
    expect(l.user().anonymousId()).toBe('cookie-id')
    expect(ls.getItem(KEYS.anonymousId)).toBe('cookie-id')
  })

  it('works with cookies and localStorage both blocked', async () => {
    let proto: object | null = document
    while (proto && !Object.getOwnPropertyDescriptor(proto, 'cookie'))
      proto = Object.getPrototypeOf(proto)
    const cookie = Object.getOwnPropertyDescriptor(proto!, 'cookie')!
    Object.defineProperty(document, 'cookie', {
      configurable: true,
      get: () => {
        throw new Error('SecurityError')
      },
      set: () => {
        throw new Error('SecurityError')
      },
    })
    try {
      const c = fakeCollector()
      const l = createLodestone({ fetch: c.fetch, localStorage: null })
      l.load(key(), fast)
      l.identify('u1', { a: 1 })
      l.track('still works')
      await l.flush()
      expect(c.events().map((e) => e.type)).toEqual(['identify', 'track'])
      expect(l.user().anonymousId()).toMatch(/^[0-9a-f-]{36}$/)
    } finally {
      delete (document as unknown as Record<string, unknown>).cookie
      if (proto === document) Object.defineProperty(document, 'cookie', cookie)
    }
  })

  it('never writes storage synchronously inside track()', () => {
    const ls = fakeStorage()
    const l = createLodestone({ fetch: fakeCollector().fetch, localStorage: ls, locks: null })
    l.load(key(), fast)
    const spy = vi.spyOn(ls, 'setItem')
    for (let i = 0; i < 50; i++) l.track('x')
    expect(spy).not.toHaveBeenCalled()
  })

  // Pitfall (posthog-js 205): a form submit that navigates away lost the last events.
  it('a form submit flushes at once on the unload-safe transport', async () => {
    const c = fakeCollector()
    const l = createLodestone({ fetch: c.fetch })
    l.load(key(), { pageViews: false, flushInterval: 60_000 })
    const form = document.createElement('form')
    document.body.append(form)
    form.addEventListener('submit', () => l.track('Form Submitted'))
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    expect(c.requests).toHaveLength(1) // synchronously, before any navigation
    expect(c.requests[0]!.headers['Content-Type']).toBe('text/plain')
    expect(c.requests[0]!.keepalive).toBe(true)
    expect(c.events().map((e) => e.type === 'track' && e.event)).toEqual(['Form Submitted'])
    form.remove()
  })
})

describe('never throws into the host page', () => {
  it('survives hostile input, broken fetch and calls before load', async () => {
    const l = createLodestone({
      fetch: () => {
        throw new Error('fetch exploded')
      },
    })
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(() => {
      l.track(undefined as unknown as string)
      l.user().anonymousId()
      l.consent.get()
      l.load(key(), fast)
      l.load(key(), fast)
      l.track(undefined as unknown as string)
      l.track('circular', circular)
      l.identify(circular as unknown as string)
      l.page(null, undefined, 42)
      l.group(undefined as unknown as string)
      l.alias(undefined as unknown as string)
      l.consent.set(undefined as unknown as boolean)
      l.subscriptions.set(null as unknown as Record<string, boolean>)
      l.user().anonymousId({} as unknown as string)
    }).not.toThrow()
    await expect(l.flush()).resolves.toBeUndefined()
    await expect(
      l.ready(() => {
        throw new Error('cb')
      }),
    ).resolves.toBeUndefined()
  })

  it('is silent on the console unless debug is on', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const l = createLodestone({ fetch: fakeCollector().fetch })
    l.load(key(), fast)
    l.track('x')
    expect(log).not.toHaveBeenCalled()
    const d = createLodestone({ fetch: fakeCollector().fetch })
    d.load(key(), { ...fast, debug: true })
    expect(log).toHaveBeenCalled()
    log.mockRestore()
  })
})
