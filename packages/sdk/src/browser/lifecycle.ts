import type { LifecycleHooks } from '../core/ports.js'

/**
 * Page lifecycle: `pagehide` (leaving), `visibilitychange` (hidden is the last reliable moment
 * on mobile), bfcache `pageshow`, `online`, and form `submit` — listened to on window, in the
 * bubble phase, so it runs after page and plugin handlers have queued their events and before
 * the navigation the submit may cause.
 *
 * @example
 * watchLifecycle({ hide, show, online, route })
 */
export const watchLifecycle = (hooks: LifecycleHooks): void => {
  // Never removed: they live as long as the page, like the SDK. (Unqualified: on window.)
  addEventListener('pagehide', () => hooks.hide(true))
  addEventListener('pageshow', (e) => e.persisted && hooks.show())
  document.addEventListener('visibilitychange', () =>
    document.visibilityState === 'hidden' ? hooks.hide(false) : hooks.show(),
  )
  addEventListener('online', () => hooks.online())
  addEventListener('submit', () => hooks.hide(false))
}
