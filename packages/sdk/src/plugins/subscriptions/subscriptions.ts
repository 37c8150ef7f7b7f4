import type { Plugin } from '../../core/plugin'

/** Stub: filled in by the capture work (issue 6). */
export function subscriptions(): Plugin {
  return { name: 'subscriptions' }
}
