import type { Plugin } from '../core/plugin'
import { chat } from './chat/chat'
import { downloads } from './downloads/downloads'
import { engagement } from './engagement/engagement'
import { forms } from './forms/forms'
import { subscriptions } from './subscriptions/subscriptions'

const FACTORIES: [string, () => Plugin][] = [
  ['forms', forms],
  ['subscriptions', subscriptions],
  ['chat', chat],
  ['engagement', engagement],
  ['downloads', downloads],
]

/**
 * Every zero-code capture plugin that `options.capture` leaves on (all are on by default).
 * `capture: false` turns all of them off; `capture: { forms: false }` turns one off.
 *
 * @example
 * const plugins = capturePlugins({ capture: { chat: false } })
 */
export function capturePlugins(options?: Record<string, unknown>): Plugin[] {
  const capture = options?.capture
  if (capture === false) return []
  const flags = (capture && typeof capture === 'object' ? capture : {}) as Record<string, unknown>
  return FACTORIES.filter(([key]) => flags[key] !== false).map(([, make]) => make())
}
