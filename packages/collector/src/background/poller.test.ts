import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPoller } from './poller.js'

afterEach(() => vi.useRealTimers())

describe('createPoller', () => {
  it('runs every interval, at once again while a run finds work, and never two at once', async () => {
    vi.useFakeTimers()
    const answers = [true, true, false, false]
    let active = 0
    let most = 0
    const run = vi.fn(async () => {
      most = Math.max(most, ++active)
      await new Promise((r) => setTimeout(r, 5))
      active--
      return answers.shift() ?? false
    })
    const poller = createPoller(run, { intervalMs: 1000 })
    poller.start()
    poller.start() // a second start does not start a second loop
    await vi.advanceTimersByTimeAsync(999)
    expect(run).toHaveBeenCalledTimes(0)
    await vi.advanceTimersByTimeAsync(30) // the first run and its two follow-ups at once
    expect(run).toHaveBeenCalledTimes(3)
    await vi.advanceTimersByTimeAsync(1000)
    expect(run).toHaveBeenCalledTimes(4)
    expect(most).toBe(1)
    await poller.stop()
    await vi.advanceTimersByTimeAsync(5000)
    expect(run).toHaveBeenCalledTimes(4)
  })

  it('passes a failed run to onError and goes on', async () => {
    vi.useFakeTimers()
    const errors: unknown[] = []
    let n = 0
    const poller = createPoller(
      async () => {
        if (++n === 1) throw new Error('boom')
        return false
      },
      { intervalMs: 100, onError: (e) => errors.push(e) },
    )
    poller.start()
    await vi.advanceTimersByTimeAsync(250)
    expect(errors).toHaveLength(1)
    expect(n).toBe(2)
    await poller.stop()
  })

  it('makes the first run after firstDelayMs, the next ones after the interval', async () => {
    vi.useFakeTimers()
    let n = 0
    const poller = createPoller(async () => (n++, false), { intervalMs: 1000, firstDelayMs: 100 })
    poller.start()
    await vi.advanceTimersByTimeAsync(99)
    expect(n).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(n).toBe(1)
    await vi.advanceTimersByTimeAsync(999)
    expect(n).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(n).toBe(2)
    await poller.stop()
  })
})
