import type { Clock } from '../../ports.js'

/** A clock that only moves when told to: TTL tests without waiting. */
export interface FakeClock extends Clock {
  advance(ms: number): void
}

/**
 * @example
 * const clock = createFakeClock()
 * const hot = createMemoryHotState({ clock })
 * clock.advance(61_000)
 */
export function createFakeClock(startMs = Date.UTC(2025, 0, 1)): FakeClock {
  let t = startMs
  return {
    now: () => new Date(t),
    advance(ms) {
      t += ms
    },
  }
}
