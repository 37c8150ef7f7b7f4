import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeContext } from '../shared/fake-context'
import { engagement } from './engagement'

let teardown: (() => void) | void

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
  document.dispatchEvent(new Event('visibilitychange'))
}

function interactFor(ms: number, every = 5_000) {
  for (let t = 0; t < ms; t += every) {
    vi.advanceTimersByTime(Math.min(every, ms - t))
    window.dispatchEvent(new Event('pointerdown'))
  }
}

function setScroll(scrollY: number, height = 4_000) {
  Object.defineProperty(document.documentElement, 'scrollHeight', {
    value: height,
    configurable: true,
  })
  Object.defineProperty(window, 'innerHeight', { value: 1_000, configurable: true })
  Object.defineProperty(window, 'scrollY', { value: scrollY, configurable: true })
  window.dispatchEvent(new Event('scroll'))
}

function start() {
  const ctx = fakeContext()
  teardown = engagement().setup!(ctx)
  return ctx
}

beforeEach(() => {
  vi.useFakeTimers()
  history.replaceState(null, '', '/article')
  Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
  setScroll(0)
})
afterEach(() => {
  if (teardown) teardown()
  teardown = undefined
  vi.useRealTimers()
})

describe('engagement', () => {
  it('counts visible, interacted time and reports it with max scroll when the page is hidden', () => {
    const ctx = start()
    interactFor(20_000)
    setScroll(1_000)
    setScroll(0)
    setVisibility('hidden')
    expect(ctx.tracks).toEqual([
      {
        event: 'Page Engaged',
        properties: {
          activeMs: 20_000,
          maxScrollPercent: 50,
          url: `${location.origin}/article`,
          path: '/article',
        },
      },
    ])
    expect(ctx.flushes).toEqual([{ beacon: true }])
  })

  it('stops counting 30 s after the last interaction', () => {
    const ctx = start()
    interactFor(10_000)
    vi.advanceTimersByTime(120_000)
    window.dispatchEvent(new Event('pagehide'))
    expect(ctx.tracks[0]!.properties.activeMs).toBe(40_000)
  })

  it('does not count hidden time, and reports each period once', () => {
    const ctx = start()
    interactFor(5_000)
    setVisibility('hidden')
    vi.advanceTimersByTime(600_000)
    window.dispatchEvent(new Event('pagehide'))
    expect(ctx.tracks).toHaveLength(1)
    setVisibility('visible')
    interactFor(7_000)
    window.dispatchEvent(new Event('pagehide'))
    expect(ctx.tracks.map((t) => t.properties.activeMs)).toEqual([5_000, 7_000])
  })

  it('ends the period on an SPA route change and reports the page that was left', () => {
    const ctx = start()
    interactFor(12_000)
    history.pushState(null, '', '/pricing')
    expect(ctx.tracks).toEqual([
      {
        event: 'Page Engaged',
        properties: {
          activeMs: 12_000,
          maxScrollPercent: 25,
          url: `${location.origin}/article`,
          path: '/article',
        },
      },
    ])
    interactFor(3_000)
    window.dispatchEvent(new PopStateEvent('popstate'))
    history.replaceState(null, '', '/pricing#faq')
    expect(ctx.tracks).toHaveLength(1)
    window.dispatchEvent(new Event('pagehide'))
    expect(ctx.tracks[1]!.properties).toMatchObject({ activeMs: 3_000, path: '/pricing' })
  })

  it('restores the history API on teardown and stops reporting', () => {
    const pushState = history.pushState
    const ctx = start()
    expect(history.pushState).not.toBe(pushState)
    teardown!()
    teardown = undefined
    expect(history.pushState).toBe(pushState)
    interactFor(5_000)
    window.dispatchEvent(new Event('pagehide'))
    expect(ctx.tracks).toEqual([])
  })
})
