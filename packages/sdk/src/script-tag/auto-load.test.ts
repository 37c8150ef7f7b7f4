import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Lodestone, LodestoneEvent } from '../core/types.js'
import { settle } from '../test-support/fakes.js'
import { autoLoad } from './auto-load.js'

type W = { lodestone?: unknown }
const w = window as unknown as W

function collect() {
  const bodies: { url: string; batch: LodestoneEvent[]; writeKey: string }[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    bodies.push({ url, ...JSON.parse(String(init.body)) })
    return new Response('{"success":true,"accepted":1,"duplicates":0,"rejected":[]}')
  })
  return bodies
}

function scriptTag(attrs: Record<string, string>) {
  const s = document.createElement('script')
  s.type = 'text/x-not-loaded' // happy-dom must not try to fetch the src
  for (const [k, v] of Object.entries(attrs)) s.setAttribute(k, v)
  document.head.append(s)
  return s
}

afterEach(() => {
  vi.unstubAllGlobals()
  delete w.lodestone
  document.querySelectorAll('script[data-write-key]').forEach((s) => s.remove())
})

describe('script tag', () => {
  it('replays the snippet stub in order, then loads from data-write-key and the src origin', async () => {
    const bodies = collect()
    scriptTag({ src: 'https://collector.test/sdk.js', 'data-write-key': 'wk_tag' })
    const ready = vi.fn()
    w.lodestone = [
      ['identify', 'u1', { email: 'a@b.co' }],
      ['track', 'Clicked', { n: 1 }],
      ['subscriptions.set', { newsletter: true }],
      ['ready', ready],
    ]
    autoLoad()
    const l = w.lodestone as Lodestone
    expect(l.loaded).toBe(true)
    await l.ready()
    await settle(1100)
    expect(ready).toHaveBeenCalledOnce()
    expect(bodies[0]!.url).toBe('https://collector.test/v1/batch')
    expect(bodies[0]!.writeKey).toBe('wk_tag')
    const batch = bodies.flatMap((b) => b.batch)
    expect(batch.map((e) => (e.type === 'track' ? e.event : e.type))).toEqual([
      'page', // the automatic initial page view
      'identify',
      'Clicked',
      'Subscription Preferences Updated',
    ])
    expect(batch[2]!.userId).toBe('u1')
  })

  it('a page call in the stub stands in for the automatic one; data-host overrides', async () => {
    const bodies = collect()
    scriptTag({
      src: 'https://cdn.test/sdk.js',
      'data-write-key': 'wk_tag',
      'data-host': 'https://c.test',
    })
    w.lodestone = [['page', 'Home']]
    autoLoad()
    await settle(1100)
    const batch = bodies.flatMap((b) => b.batch)
    expect(batch.map((e) => e.type === 'page' && e.name)).toEqual(['Home'])
    expect(bodies[0]!.url).toBe('https://c.test/v1/batch')
  })

  it('a load call in the stub supplies key and options', async () => {
    const bodies = collect()
    w.lodestone = [
      ['load', 'wk_stub', { host: 'https://h.test', pageViews: false }],
      ['track', 'x'],
    ]
    autoLoad()
    await settle(1100)
    expect(bodies.map((b) => [b.url, b.writeKey])).toEqual([['https://h.test/v1/batch', 'wk_stub']])
  })

  it('does nothing harmful without a write key, or when already loaded', () => {
    expect(() => autoLoad()).not.toThrow()
    const first = w.lodestone
    expect((first as Lodestone).loaded).toBe(false)
    w.lodestone = { loaded: true }
    autoLoad()
    expect(w.lodestone).toEqual({ loaded: true })
  })
})
