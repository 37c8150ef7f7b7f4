// Script-tag entry, full build: core plus the zero-code capture plugins.
import { capturePlugins } from '../plugins/capture-plugins'
import { chat } from '../plugins/chat/chat'
import { autoLoad } from './auto-load.js'

type Call = [string, ...unknown[]]

// `lodestone.chat.capture({...})` reaches the chat plugin the script tag sets up, for widgets
// without an adapter (a no-op with `capture: { chat: false }`). Snippet calls to it are kept
// aside and replayed once the SDK is loaded (the core build has no such method, so the code
// lives here, not in autoLoad).
const chatPlugin = chat()
const w = window as unknown as { lodestone?: unknown }
const stub = w.lodestone
autoLoad((options) => capturePlugins(options, { chat: chatPlugin }))
try {
  const lodestone = w.lodestone as Record<string, unknown>
  // A new instance is there only if autoLoad took over (from the snippet's array, or nothing).
  if (lodestone !== stub) {
    lodestone.chat = { capture: chatPlugin.capture }
    for (const call of (stub || []) as Call[])
      if (Array.isArray(call) && call[0] === 'chat.capture')
        chatPlugin.capture(call[1] as Parameters<typeof chatPlugin.capture>[0])
  }
} catch {
  // never into the host page
}
