import { describe, expect, it } from 'vitest'
import { fakeContext } from '../shared/fake-context'
import { chat } from './chat'
import { captureChat, chatRecorder } from './recorder'

describe('captureChat (manual capture for any widget)', () => {
  it('starts a conversation once, counts messages, and identifies on contact', () => {
    const ctx = fakeContext()
    captureChat(ctx, { provider: 'acme', conversationId: 42 })
    captureChat(ctx, { provider: 'acme', conversationId: 42, started: true })
    captureChat(ctx, { provider: 'acme', conversationId: 42, message: 'Hi, pricing?' })
    captureChat(ctx, { provider: 'acme', conversationId: 42, message: 'For 50 seats' })
    captureChat(ctx, {
      provider: 'acme',
      conversationId: 42,
      email: ' ada@example.com ',
      name: 'Ada',
    })
    expect(ctx.tracks).toEqual([
      { event: 'Chat Started', properties: { provider: 'acme', conversationId: '42' } },
      {
        event: 'Chat Message Sent',
        properties: { provider: 'acme', conversationId: '42', messageCount: 1 },
      },
      {
        event: 'Chat Message Sent',
        properties: { provider: 'acme', conversationId: '42', messageCount: 2 },
      },
      {
        event: 'Chat Contact Captured',
        properties: {
          provider: 'acme',
          conversationId: '42',
          email: 'ada@example.com',
          name: 'Ada',
        },
      },
    ])
    expect(ctx.identifies).toEqual([
      { userId: undefined, traits: { email: 'ada@example.com', name: 'Ada' } },
    ])
  })

  it('keeps message text only with captureChatText: true', () => {
    const ctx = fakeContext({ captureChatText: true })
    captureChat(ctx, { provider: 'acme', message: 'Can I get a demo?' })
    expect(ctx.tracks[0]!.properties.text).toBe('Can I get a demo?')
  })

  it('ignores malformed contact data and repeats of the same contact', () => {
    const ctx = fakeContext()
    const recorder = chatRecorder(ctx)
    recorder(2, 'x', undefined, { email: 'not-an-email', name: { first: 'no' } })
    recorder(2, 'x', undefined, { email: 'not-an-email', name: { first: 'no' } })
    expect(ctx.identifies).toEqual([])
    expect(ctx.tracks).toEqual([{ event: 'Chat Contact Captured', properties: { provider: 'x' } }])
  })

  it('is exposed as chat().capture once the plugin is set up, and stops on teardown', () => {
    const ctx = fakeContext()
    const plugin = chat()
    plugin.capture({ provider: 'early' })
    const teardown = plugin.setup!(ctx)
    plugin.capture({ provider: 'acme', email: 'b@example.com' })
    if (teardown) teardown()
    plugin.capture({ provider: 'late' })
    expect(ctx.tracks.map((t) => t.properties.provider)).toEqual(['acme'])
  })
})
