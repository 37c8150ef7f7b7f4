import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SendResult } from './ports.js'
import { createQueue, type QueueOptions } from './queue.js'
import type { LodestoneEvent } from './types.js'

const ev = (n: number): LodestoneEvent => ({
  type: 'track',
  event: `e${n}`,
  messageId: `m${n}`,
  anonymousId: 'a',
})

function setup(
  over: Partial<QueueOptions> = {},
  answer: () => Promise<SendResult> = async () => ({ ok: true }),
) {
  const sent: { ids: string[]; beacon: boolean }[] = []
  const send = vi.fn(async (events: LodestoneEvent[], beacon: boolean) => {
    sent.push({ ids: events.map((e) => String(e.messageId)), beacon })
    return answer()
  })
  const q = createQueue({
    send,
    batchSize: 3,
    flushInterval: 1000,
    maxQueueSize: 10,
    backoff: { baseMs: 1000, maxMs: 60_000 },
    ...over,
  })
  return { q, sent, send }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('queue batching', () => {
  it('sends when a batch fills (all that waits, in batches), else after the interval', async () => {
    const { q, sent } = setup()
    for (let i = 1; i <= 4; i++) q.push(ev(i))
    await vi.advanceTimersByTimeAsync(0)
    expect(sent.map((s) => s.ids)).toEqual([['m1', 'm2', 'm3'], ['m4']])
    q.push(ev(5))
    await vi.advanceTimersByTimeAsync(999)
    expect(sent).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(sent[2]).toEqual({ ids: ['m5'], beacon: false })
    expect(q.events()).toEqual([])
  })

  it('keeps one request in flight; what arrives meanwhile goes next', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const { q, sent } = setup({}, async () => (await gate, { ok: true }))
    for (let i = 1; i <= 3; i++) q.push(ev(i))
    await vi.advanceTimersByTimeAsync(0)
    for (let i = 4; i <= 6; i++) q.push(ev(i))
    await vi.advanceTimersByTimeAsync(0)
    expect(sent).toHaveLength(1)
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(sent.map((s) => s.ids)).toEqual([
      ['m1', 'm2', 'm3'],
      ['m4', 'm5', 'm6'],
    ])
  })

  it('holds delivery while held and sends everything once released', async () => {
    const { q, sent } = setup()
    q.hold(true)
    for (let i = 1; i <= 5; i++) q.push(ev(i))
    await vi.advanceTimersByTimeAsync(5000)
    expect(sent).toEqual([])
    q.hold(false)
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent.flatMap((s) => s.ids)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5'])
  })

  it('beacon flush sends everything waiting, skipping what is in flight', async () => {
    const { q, sent } = setup({ batchSize: 2 }, () => new Promise(() => {}))
    for (let i = 1; i <= 5; i++) q.push(ev(i))
    await vi.advanceTimersByTimeAsync(0)
    void q.flush(true)
    expect(sent).toEqual([
      { ids: ['m1', 'm2'], beacon: false },
      { ids: ['m3', 'm4', 'm5'], beacon: true },
    ])
  })
})

describe('queue bounds', () => {
  it('drops the oldest events past maxQueueSize and counts them', async () => {
    const { q } = setup({ batchSize: 100 })
    q.hold(true)
    for (let i = 1; i <= 13; i++) q.push(ev(i))
    expect(q.events()).toHaveLength(10)
    expect(q.events()[0]!.messageId).toBe('m4')
    expect(q.dropped).toBe(3)
  })

  it('restores stored events ahead of new ones, without duplicating known ids', async () => {
    const { q, sent } = setup({ batchSize: 100 })
    q.push(ev(3))
    q.restore([ev(1), ev(2), ev(3)])
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent[0]!.ids).toEqual(['m1', 'm2', 'm3'])
  })
})
