import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LodestoneEvent } from '../core/types.js'
import { settle } from '../test-support/fakes.js'

type W = { lodestone?: unknown }
const w = window as unknown as W

afterEach(() => {
  vi.unstubAllGlobals()
  vi.resetModules()
  delete w.lodestone
  document.querySelectorAll('script[data-write-key]').forEach((s) => s.remove())
})

function collect() {
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
  return batch
}

const names = (batch: LodestoneEvent[]) => batch.map((e) => (e.type === 'track' ? e.event : e.type))

describe('full script-tag build', () => {
  it('exposes lodestone.chat.capture and replays snippet calls to it after load', async () => {
    const batch = collect()
    w.lodestone = [['chat.capture', { provider: 'acme-chat', conversationId: 'c1' }]]
    await import('./full.js')
    const l = w.lodestone as { chat: { capture(input: unknown): void } }
    l.chat.capture({ provider: 'acme-chat', conversationId: 'c1', email: 'ada@example.com' })
    l.chat.capture(null) // never throws into the page
    await settle(1100)
    expect(names(batch)).toEqual(['page', 'Chat Started', 'identify', 'Chat Contact Captured'])
    const identify = batch.find((e) => e.type === 'identify')!
    expect(identify.traits).toMatchObject({ email: 'ada@example.com' })
  })

  it('is there without a snippet stub too', async () => {
    const batch = collect()
    await import('./full.js')
    ;(w.lodestone as { chat: { capture(input: unknown): void } }).chat.capture({
      provider: 'x',
      name: 'Ada',
    })
    await settle(1100)
    expect(names(batch)).toContain('Chat Contact Captured')
  })
})
