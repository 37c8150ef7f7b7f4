import { DEBUG_TEXT } from '../../core/debug-text.js'
import { TEARDOWNS } from '../../core/teardowns.js'
import type { Plugin, PluginContext } from '../../core/plugin'
import { watchVendors } from './adapters'
import { VENDORS } from './vendors.js'
import { captureChat, chatRecorder, type ChatCaptureInput } from './recorder'

/** The chat plugin: a Plugin plus `capture` for widgets without an adapter. */
export interface ChatPlugin extends Plugin {
  /** Same as `captureChat`, for the context this plugin was set up with (no-op before). */
  capture(input: ChatCaptureInput): void
}

/**
 * Live-chat capture for Intercom, Crisp, Drift, Tawk.to, HubSpot chat, LiveChat and Zendesk:
 * each adapter hooks the vendor's documented JavaScript API when it appears on the page (now,
 * or within a minute: the plugin polls, and hooks vendor queues where they exist) and emits
 * `Chat Started`, `Chat Message Sent` and `Chat Contact Captured` (+ `identify`).
 *
 * @example
 * const chatCapture = chat()
 * load('wk_…', { plugins: [chatCapture] })
 * myWidget.onEmail((email) => chatCapture.capture({ provider: 'my-widget', email }))
 */
export const chat = (): ChatPlugin => {
  let context: PluginContext | undefined
  return {
    name: 'chat',
    capture: (input) => context && captureChat(context, input),
    setup(ctx) {
      context = ctx
      const recorder = chatRecorder(ctx)
      // Script-tag builds: the adapters are in the chat add-on (see vendors.ts).
      if (!VENDORS) return
      const stop = watchVendors(VENDORS, recorder, (vendor) => {
        if (DEBUG_TEXT) ctx.debug(`chat: ${vendor} API did not behave as documented`)
      })
      if (TEARDOWNS)
        return () => {
          stop()
          recorder.stop?.()
          context = undefined
        }
    },
  }
}
