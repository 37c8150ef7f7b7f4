import type { Env, EnvOptions, Log } from '../core/ports.js'
import { watchLifecycle } from './lifecycle.js'
import { createPageInfo, optOutSignal } from './page-info.js'
import { createQueueStore } from './queue-store.js'
import { watchRoutes } from './routes.js'
import { safeLocalStorage } from './safe-storage.js'
import { createBrowserStore } from './storage.js'
import { createTransport } from './transport.js'

/** Browser capabilities; each defaults to the real one. Tests and odd embeds pass their own. */
export interface BrowserRuntime {
  fetch?: typeof fetch
  sendBeacon?: (url: string, data: string) => boolean
  /** null: behave as if localStorage were blocked. */
  localStorage?: Storage | null
  /** null: behave as if Web Locks were missing. */
  locks?: LockManager | null
}

/**
 * The browser runtime for the core: transports, storage, page info and lifecycle.
 *
 * @example
 * const env = createBrowserEnv({ writeKey: 'wk_1', storage: true, debug: false })
 */
export const createBrowserEnv = (o: EnvOptions, rt?: BrowserRuntime): Env => {
  const log: Log = o.debug ? (m, d) => console.log('[lodestone]', m || '', d ?? '') : () => {}
  const page = createPageInfo()
  // `rt?.` rather than a `{}` default: the script-tag builds pass no runtime, and the minifier
  // then drops every override branch.
  const ls = o.storage
    ? rt?.localStorage !== undefined
      ? rt.localStorage
      : safeLocalStorage()
    : null
  const nav = navigator
  const f = rt?.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined)
  const beacon =
    rt?.sendBeacon ?? (nav.sendBeacon ? (u: string, d: string) => nav.sendBeacon(u, d) : undefined)
  return {
    send: createTransport({
      host: o.host || location.origin,
      writeKey: o.writeKey,
      fetch: f,
      sendBeacon: beacon,
    }),
    store: createBrowserStore({
      storage: o.storage,
      cookieDomain: o.cookieDomain,
      localStorage: ls,
    }),
    queueStore: ls
      ? createQueueStore({
          writeKey: o.writeKey,
          storage: ls,
          locks: rt?.locks !== undefined ? rt.locks : nav.locks,
          log,
        })
      : null,
    context: page.context,
    pageProperties: page.properties,
    watch(hooks, routes) {
      watchLifecycle(hooks)
      if (routes)
        watchRoutes((previousUrl) => {
          page.setReferrer(previousUrl)
          hooks.route()
        })
    },
    optOutSignal,
    log,
  }
}
