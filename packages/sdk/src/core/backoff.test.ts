import { describe, expect, it } from 'vitest'
import { backoffDelay, parseRetryAfter } from './backoff.js'

const o = { baseMs: 1000, maxMs: 30_000 }

describe('backoffDelay', () => {
  it('doubles per attempt, with jitter between half and all of the step', () => {
    expect(backoffDelay(1, o, () => 0)).toBe(500)
    expect(backoffDelay(1, o, () => 1)).toBe(1000)
    expect(backoffDelay(3, o, () => 0)).toBe(2000)
    expect(backoffDelay(3, o, () => 0.5)).toBe(3000)
  })

  it('never exceeds the cap, however many attempts', () => {
    expect(backoffDelay(50, o, () => 1)).toBe(30_000)
    expect(backoffDelay(50, o, () => 0)).toBe(15_000)
  })

  it('spreads retries of different clients apart', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(4, o)))
    expect(delays.size).toBeGreaterThan(1)
  })
})

describe('parseRetryAfter', () => {
  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000)
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000)
  })

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, 0)).toBeUndefined()
    expect(parseRetryAfter('soon', 0)).toBeUndefined()
    expect(parseRetryAfter('', 0)).toBeUndefined()
  })
})
