import { createLodestone } from '../browser/lodestone.js'
import type { Plugin } from '../core/plugin.js'
import { callMethod } from '../core/replay.js'
import type { LoadOptions } from '../core/types.js'

type Call = [string, ...unknown[]]

// Boolean options a site can set on the script tag, e.g. `data-require-consent`, by their
// `dataset` names; `data-respect-dnt` sets `respectDoNotTrack`.
const FLAGS = ['cookieless', 'requireConsent', 'respectDnt', 'debug']

/**
 * Script-tag start-up: takes over `window.lodestone` (replaying the snippet stub's queued
 * calls in order), reads `data-write-key` / `data-host` from its own tag, and loads.
 *
 * @example
 * autoLoad((options) => capturePlugins(options))
 */
export const autoLoad = (plugins: (options: LoadOptions) => Plugin[] = () => []): void => {
  try {
    const w = window as unknown as { lodestone?: unknown }
    const stub = w.lodestone
    if (stub && !Array.isArray(stub)) return // a real instance is already here
    const calls = (stub || []) as Call[] // the snippet's queue, if any
    const script = (document.currentScript ??
      document.querySelector('script[data-write-key]')) as HTMLScriptElement | null
    const data: Record<string, string | undefined> = script?.dataset ?? {}
    const lodestone = createLodestone()
    w.lodestone = lodestone
    let loadArgs: unknown[] | undefined
    for (const call of calls) {
      if (!Array.isArray(call)) continue
      const [name, ...args] = call
      if (name === 'load') loadArgs = args
      else callMethod(lodestone, name, args)
    }
    const writeKey = (loadArgs?.[0] as string | undefined) ?? data.writeKey
    if (!writeKey) return
    const options: LoadOptions = {
      host: data.host ?? (script?.src ? new URL(script.src).origin : undefined),
      cookieDomain: data.cookieDomain,
    }
    for (const a of FLAGS)
      if (data[a] !== undefined)
        options[a === 'respectDnt' ? 'respectDoNotTrack' : a] = data[a] !== 'false'
    Object.assign(options, loadArgs?.[1])
    options.plugins = [...plugins(options), ...(options.plugins ?? [])]
    lodestone.load(writeKey, options)
  } catch {
    // never into the host page
  }
}
