import { describe, expect, it } from 'vitest'
import type { EnrichedEvent } from '../ports.js'
import { partitionOf } from './nats.js'

const event = (fields: Partial<EnrichedEvent> & { previousId?: string }): EnrichedEvent => ({
  messageId: fields.messageId ?? crypto.randomUUID(),
  type: 'track',
  timestamp: '2026-01-01T00:00:00.000Z',
  originalTimestamp: null,
  sentAt: null,
  receivedAt: '2026-01-01T00:00:00.000Z',
  userId: fields.userId ?? null,
  anonymousId: fields.anonymousId ?? null,
  event: 'x',
  name: null,
  payload: { type: 'track', previousId: fields.previousId } as never,
})

describe('partitionOf', () => {
  it('keeps one visitor of one workspace on one partition, whatever the message', () => {
    const a = partitionOf('ws1', event({ anonymousId: 'v1' }), 8)
    for (let i = 0; i < 20; i++) expect(partitionOf('ws1', event({ anonymousId: 'v1' }), 8)).toBe(a)
    // anonymousId first, then userId, then previousId (alias), then the messageId.
    expect(partitionOf('ws1', event({ anonymousId: 'v1', userId: 'u9' }), 8)).toBe(a)
    const u = partitionOf('ws1', event({ userId: 'u9' }), 8)
    expect(partitionOf('ws1', event({ previousId: 'u9' }), 8)).toBe(u)
  })

  it('spreads visitors and workspaces over every partition, within range', () => {
    const seen = new Set<number>()
    for (let i = 0; i < 400; i++) {
      const p = partitionOf(`ws${i % 3}`, event({ anonymousId: `v${i}` }), 8)
      expect(p).toBeGreaterThanOrEqual(0)
      expect(p).toBeLessThan(8)
      seen.add(p)
    }
    expect(seen.size).toBe(8)
  })
})
