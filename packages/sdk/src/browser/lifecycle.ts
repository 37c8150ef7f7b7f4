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
  const onVisibility = () =>
    document.visibilityState === 'hidden' ? hooks.hide(false) : hooks.show()
  const listeners: [EventTarget, string, (e: Event) => void][] = [
    [window, 'pagehide', () => hooks.hide(true)],
    [window, 'pageshow', (e) => (e as PageTransitionEvent).persisted && hooks.show()],
    [document, 'visibilitychange', onVisibility],
    [window, 'online', () => hooks.online()],
    [window, 'submit', () => hooks.hide(false)],
  ]
  // Never removed: they live as long as the page, like the SDK.
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn)
}
