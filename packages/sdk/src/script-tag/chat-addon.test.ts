// The chat add-on (/sdk-chat.js) beside the full build: what the vendor widgets report reaches
// the full build's chat plugin through lodestone.chat.capture, or waits in the snippet queue
// when the add-on runs first. Vendor stand-ins as in plugins/chat/adapters.test.ts (written
// from the vendors' public documentation, cited there).
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LodestoneEvent } from '../core/types.js'
import { settle } from '../test-support/fakes.js'

type Handler = (...args: unknown[]) => void
const w = window as unknown as Record<string, unknown>

afterEach(() => {
  vi.unstubAllGlobals()
  vi.resetModules()
  vi.useRealTimers()
  for (const name of ['lodestone', 'drift', 'Intercom']) delete w[name]
  document.querySelectorAll('script[data-write-key]').forEach((s) => s.remove())
})

/** A Drift stand-in (drift.on(event, fn), per https://devdocs.drift.com/docs/drift-events). */
function drift() {
  const handlers: Record<string, Handler[]> = {}
  w.drift = { on: (event: string, fn: Handler) => void (handlers[event] ||= []).push(fn) }
  return (event: string, payload: unknown) => handlers[event]?.forEach((fn) => fn(payload))
}

describe('chat add-on', () => {
  it('queues what it sees in the snippet stub while the SDK has not loaded', async () => {
    w.lodestone = []
    const emit = drift()
    await import('./chat-addon.js')
    emit('startConversation', { conversationId: 7 })
    emit('message:sent', { conversationId: 7 })
    expect(w.lodestone).toEqual([
      ['chat.capture', { provider: 'drift', conversationId: 7, started: true }],
      ['chat.capture', { provider: 'drift', conversationId: 7, message: '' }],
    ])
  })

  it('feeds the full build: chat events and a contact with the vendor visitor id', async () => {
    const batch: LodestoneEvent[] = []
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      batch.push(...JSON.parse(String(init.body)).batch)
      return new Response('{"success":true,"accepted":1,"duplicates":0,"rejected":[]}')
    })
    const s = document.createElement('script')
    s.type = 'text/x-not-loaded' // happy-dom must not try to fetch the src
    s.setAttribute('src', 'https://collector.test/sdk.js')
    s.setAttribute('data-write-key', 'wk_full')
    document.head.append(s)
    // Intercom stand-in per https://developers.intercom.com/installing-intercom/web/methods
    const handlers: Record<string, Handler> = {}
    w.Intercom = (command: string, fn?: Handler) =>
      command === 'getVisitorId' ? 'visitor-9' : void (handlers[command] = fn!)
    await import('./full.js')
    await import('./chat-addon.js')
    handlers.onShow!()
    handlers.onUserEmailSupplied!()
    await settle(1100)
    const chat = batch.filter((e) => e.type === 'track' && e.event !== undefined)
    expect(chat.map((e) => (e as { event: string }).event)).toEqual([
      'Chat Started',
      'Chat Contact Captured',
    ])
    expect(chat[1]!.properties).toEqual({ provider: 'intercom', visitorId: 'visitor-9' })
    expect(chat[1]!.context?.externalIds).toEqual([
      { id: 'visitor-9', type: 'intercom_visitor_id', collection: 'users' },
    ])
  })
})
