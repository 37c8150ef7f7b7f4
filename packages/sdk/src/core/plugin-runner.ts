import type { Plugin } from './plugin.js'
import type { Log } from './ports.js'
import type { LodestoneEvent } from './types.js'
import { DEBUG_TEXT } from './debug-text.js'

/**
 * Runs the `before` stage (may change or drop the event) then `enrich` (adds to it). A plugin
 * that throws is logged and skipped: a plugin bug must never cost the event.
 *
 * @example
 * const event = runPlugins(plugins, built, log)
 * if (event) queue.push(event)
 */
export const runPlugins = (
  plugins: Plugin[],
  event: LodestoneEvent,
  log: Log,
): LodestoneEvent | null => {
  for (const stage of ['before', 'enrich'] as const) {
    for (const p of plugins) {
      const fn = p[stage]
      if (!fn) continue
      try {
        const next = fn.call(p, event)
        if (next === null && stage === 'before') return null
        if (next) event = next
      } catch (err) {
        log(DEBUG_TEXT && `plugin ${p.name} failed in ${stage}`, err)
      }
    }
  }
  return event
}
