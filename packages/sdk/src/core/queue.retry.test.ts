import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SendResult } from './ports.js'
import { createQueue } from './queue.js'
import type { LodestoneEvent } from './types.js'

const ev = (n: number): LodestoneEvent => ({
  type: 'track',
  event: `e${n}`,
  messageId: `m${n}`,
  anonymousId: 'a',
})

function setup(answers: SendResult[]) {
  const sent: string[][] = []
  const q = createQueue({
    send: async (events) => {
      sent.push(events.map((e) => String(e.messageId)))
      return answers.shift() ?? { ok: true }
    },
    batchSize: 1,
    flushInterval: 1000,
    maxQueueSize: 100,
    backoff: { baseMs: 1000, maxMs: 60_000 },
    random: () => 1,
  })
  return { q, sent }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('queue retries', () => {
  it('retries with exponential backoff and keeps the same messageId', async () => {
    const fail = { ok: false as const, retry: true }
    const { q, sent } = setup([fail, fail, fail])
    q.push(ev(1))
    await vi.advanceTimersByTimeAsync(0)
    expect(sent).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1000) // attempt 1: 1 s
    expect(sent).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1999) // attempt 2: 2 s
    expect(sent).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(sent).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(4000) // attempt 3: 4 s, then success
    expect(sent).toEqual([['m1'], ['m1'], ['m1'], ['m1']])
    expect(q.events()).toEqual([])
  })

  it('waits exactly what Retry-After asks', async () => {
    const { q, sent } = setup([{ ok: false, retry: true, retryAfterMs: 7000, status: 429 }])
    q.push(ev(1))
    await vi.advanceTimersByTimeAsync(6999)
    expect(sent).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(sent).toHaveLength(2)
  })

  it('drops a batch the collector refuses for good (other 4xx) and goes on', async () => {
    const { q, sent } = setup([{ ok: false, retry: false, status: 400 }])
    q.push(ev(1))
    q.push(ev(2))
    await vi.advanceTimersByTimeAsync(0)
    expect(sent).toEqual([['m1'], ['m2']])
    expect(q.events()).toEqual([])
  })

  it('does not send during backoff; retryNow (network back) sends at once', async () => {
    const { q, sent } = setup([{ ok: false, retry: true }])
    q.push(ev(1))
    await vi.advanceTimersByTimeAsync(0)
    await q.flush()
    expect(sent).toHaveLength(1)
    q.retryNow()
    await vi.advanceTimersByTimeAsync(0)
    expect(sent).toHaveLength(2)
  })

  it('treats a send that throws as a network error', async () => {
    let calls = 0
    const q = createQueue({
      send: async () => {
        if (calls++ === 0) throw new Error('boom')
        return { ok: true }
      },
      batchSize: 1,
      flushInterval: 10,
      maxQueueSize: 10,
      backoff: { baseMs: 100, maxMs: 100 },
    })
    q.push(ev(1))
    await vi.advanceTimersByTimeAsync(200)
    expect(calls).toBe(2)
    expect(q.events()).toEqual([])
  })
})
