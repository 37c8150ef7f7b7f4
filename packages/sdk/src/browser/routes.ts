import { onHistoryChange } from './history-hook.js'

/**
 * What makes a new page in a single-page app: the path, plus the hash only for hash routers
 * (`#/…`, `#!…`). Query and anchor tweaks — which routers make with `replaceState` all the
 * time — are the same page.
 */
export const routeKey = (l: Location): string => {
  return l.pathname + (/^#[/!]/.test(l.hash) ? l.hash : '')
}

/**
 * Calls `onChange(previousUrl)` once per real route change, whatever mix of pushState,
 * replaceState, popstate and hashchange announced it. Checks run a task later so the router
 * has updated the title and one navigation fired as several signals counts once.
 *
 * @example
 * watchRoutes((previousUrl) => lodestone.page())
 */
export const watchRoutes = (onChange: (previousUrl: string) => void): void => {
  let key = routeKey(location)
  let url = location.href
  onHistoryChange(() =>
    setTimeout(() => {
      const next = routeKey(location)
      if (next !== key) {
        key = next
        onChange(url)
      }
      url = location.href
    }, 0),
  )
}
