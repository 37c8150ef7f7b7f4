import { TEARDOWNS, type Off } from '../core/teardowns.js'

/**
 * Calls `fn` after every `history.pushState`/`replaceState` and on `popstate`/`hashchange`:
 * every signal a single-page app's router gives. Shared by SPA page views and engagement so the
 * wrapping lives once in the bundle. `fn` never throws into the page. The remover puts the
 * history API back only if no other script wrapped it since (else ours stays, inert).
 *
 * @example
 * const off = onHistoryChange(() => console.log(location.pathname))
 */
export const onHistoryChange = (fn: () => void): Off => {
  const h = history as unknown as Record<string, (...a: unknown[]) => unknown>
  let on = true
  const call = () => {
    try {
      if (on) fn()
    } catch {
      // never into the host page
    }
  }
  const restores = ['pushState', 'replaceState'].map((m) => {
    const original = h[m]!
    const patched = function (this: History, ...args: unknown[]) {
      const result = original.apply(this, args)
      call()
      return result
    }
    h[m] = patched
    return TEARDOWNS
      ? () => {
          if (h[m] === patched) h[m] = original
        }
      : undefined
  })
  addEventListener('popstate', call)
  addEventListener('hashchange', call)
  if (TEARDOWNS)
    return () => {
      on = false
      restores.forEach((restore) => restore?.())
      removeEventListener('popstate', call)
      removeEventListener('hashchange', call)
    }
}
