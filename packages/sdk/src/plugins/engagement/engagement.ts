import { onHistoryChange } from '../../browser/history-hook'
import { routeKey } from '../../browser/routes'
import type { Plugin } from '../../core/plugin'
import { listen, removeAll } from '../shared/listen'

/** Time after the last interaction during which a visible page still counts as active. */
export const IDLE_MS = 30_000

// Interactions besides scrolling. Pointer events cover mouse, pen and touch in every browser
// that runs this ES2020 bundle, so mousemove and touchstart would only repeat them.
const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel']

/**
 * Emits `Page Engaged` `{ activeMs, maxScrollPercent, url, path }` when an engagement period
 * ends: the page is hidden, left (pagehide) or an SPA route changes (history API, popstate,
 * hash routes). Time counts as active only while the page is visible and the visitor has
 * interacted within the last 30 s; arriving or coming back to the tab counts as an
 * interaction. Each period is reported once and only if it had active time; coming back
 * to a hidden tab starts a new period on the same page.
 *
 * @example
 * load('wk_…', { plugins: [engagement()] })
 */
export const engagement = (): Plugin => {
  return {
    name: 'engagement',
    setup(ctx) {
      let shown = document.visibilityState !== 'hidden'
      let activeMs = 0
      let lastActivity = 0
      let accrued = 0
      let maxScroll = 0
      let path = ''
      let route = ''

      const accrue = () => {
        const now = Date.now()
        const end = Math.min(now, lastActivity + IDLE_MS)
        if (shown && end > accrued) activeMs += end - accrued
        accrued = now
      }
      const activity = () => {
        accrue()
        lastActivity = Date.now()
      }
      const measureScroll = () => {
        const height = Math.max(
          document.documentElement.scrollHeight,
          document.body?.scrollHeight || 0,
        )
        const percent = height ? Math.round(((scrollY + innerHeight) / height) * 100) : 100
        maxScroll = Math.max(maxScroll, Math.min(100, percent))
      }
      const start = () => {
        activeMs = maxScroll = 0
        accrued = lastActivity = Date.now()
        path = location.pathname
        route = routeKey(location)
        measureScroll()
      }
      const send = (beacon: boolean) => {
        accrue()
        if (activeMs > 0) {
          ctx.track('Page Engaged', {
            activeMs, // whole ms: a sum of Date.now() differences
            maxScrollPercent: maxScroll,
            url: location.origin + path,
            path,
          })
          if (beacon) ctx.flush({ beacon: true })
        }
        activeMs = 0
      }
      const onRoute = () => {
        if (routeKey(location) === route) return
        send(false)
        start()
      }

      start()
      return removeAll([
        ...ACTIVITY.map((type) => listen(window, type, activity)),
        listen(window, 'scroll', () => {
          activity()
          measureScroll()
        }),
        listen(document, 'visibilitychange', () => {
          accrue()
          shown = document.visibilityState !== 'hidden'
          if (shown) activity()
          else send(true)
        }),
        listen(window, 'pagehide', () => send(true)),
        onHistoryChange(onRoute),
      ])
    },
  }
}
