import type { Plugin } from '../core/plugin'
// Import order is bundle order: this one compresses the script-tag build best.
import { subscriptions } from './subscriptions/subscriptions'
import { forms } from './forms/forms'
import { engagement } from './engagement/engagement'
import { downloads, type DownloadsOptions } from './downloads/downloads'
import { chat } from './chat/chat'

const FACTORIES: [string, (options: never) => Plugin][] = [
  ['forms', forms],
  ['subscriptions', subscriptions],
  ['chat', chat],
  ['engagement', engagement],
  ['downloads', downloads as (options: DownloadsOptions) => Plugin],
]

/**
 * Every zero-code capture plugin that `options.capture` leaves on (all are on by default).
 * `capture: false` turns all of them off, `capture: { forms: false }` turns one off, and an
 * object instead of `true` is passed to that plugin's factory as its options.
 *
 * @example
 * capturePlugins({ capture: { chat: false, downloads: { extensions: ['pdf', 'dmg'] } } })
 * capturePlugins(options, { chat: myChatPlugin }) // use this instance when chat is on
 */
export const capturePlugins = (
  options?: Record<string, unknown>,
  made: Record<string, Plugin> = {},
): Plugin[] => {
  const capture = options?.capture
  if (capture === false) return []
  const flags = (capture && typeof capture === 'object' ? capture : {}) as Record<string, unknown>
  return FACTORIES.filter(([key]) => flags[key] !== false).map(
    ([key, make]) =>
      made[key] ?? make((typeof flags[key] === 'object' ? flags[key] : undefined) as never),
  )
}
