import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeCollector, settle } from '../test-support/fakes.js'
import { createLodestone } from './lodestone.js'
import { routeKey } from './routes.js'

let n = 0
const pages = (c: ReturnType<typeof fakeCollector>) =>
  c
    .events()
    .filter((e) => e.type === 'page')
    .map((e) => e.properties as Record<string, string>)

async function loaded() {
  const c = fakeCollector()
  const l = createLodestone({ fetch: c.fetch })
  l.load(`wk_routes_${++n}`, { flushInterval: 1 })
  // The load page view must be out before the test starts counting (a busy machine delays it).
  await vi.waitFor(() => expect(pages(c)).toHaveLength(1))
  c.requests.length = 0
  return { c, l }
}

beforeEach(() => history.replaceState(null, '', '/start'))

describe('SPA page views', () => {
  it('one page view on load', async () => {
    const c = fakeCollector()
    createLodestone({ fetch: c.fetch }).load(`wk_routes_${++n}`, { flushInterval: 1 })
    await vi.waitFor(() => expect(pages(c).map((p) => p.path)).toEqual(['/start']))
    await settle(10)
    expect(pages(c)).toHaveLength(1)
  })

  it('one page view per pushState to a new path, with the previous URL as referrer', async () => {
    const { c } = await loaded()
    history.pushState(null, '', '/pricing')
    await settle(10)
    history.pushState(null, '', '/docs?x=1')
    await vi.waitFor(() =>
      expect(pages(c).map((p) => [p.path, new URL(p.referrer!).pathname])).toEqual([
        ['/pricing', '/start'],
        ['/docs', '/pricing'],
      ]),
    )
  })

  // Pitfall (PostHog, Umami): routers' replaceState for query or hash tweaks inflated SPA
  // page views 5–10×.
  it('replaceState or pushState that keeps the path makes no page view', async () => {
    const { c } = await loaded()
    history.replaceState(null, '', '/start?tab=2')
    history.replaceState({ scroll: 10 }, '', '/start?tab=2#section')
    history.pushState(null, '', '/start?page=3')
    await settle(10)
    expect(pages(c)).toEqual([])
  })

  it('one page view when several signals announce one navigation', async () => {
    const { c } = await loaded()
    history.pushState(null, '', '/a')
    history.replaceState({ key: 1 }, '', '/a')
    dispatchEvent(new PopStateEvent('popstate'))
    await vi.waitFor(() => expect(pages(c).map((p) => p.path)).toEqual(['/a']))
    await settle(10)
    expect(pages(c)).toHaveLength(1)
  })

  it('back navigation (popstate) and hash routes count', async () => {
    const { c } = await loaded()
    history.pushState(null, '', '/b')
    await settle(5)
    history.back()
    await settle(20)
    dispatchEvent(new PopStateEvent('popstate'))
    await vi.waitFor(() => expect(pages(c).map((p) => p.path)).toEqual(['/b', '/start']))
    await settle(10)
    expect(pages(c)).toHaveLength(2)
  })

  it('routeKey: hash routers count, anchors do not', () => {
    const at = (href: string) => routeKey(new URL(href, 'https://x.test') as unknown as Location)
    expect(at('/app#/users')).not.toBe(at('/app#/settings'))
    expect(at('/app#top')).toBe(at('/app#bottom'))
    expect(at('/app?a=1')).toBe(at('/app?a=2'))
  })
})
