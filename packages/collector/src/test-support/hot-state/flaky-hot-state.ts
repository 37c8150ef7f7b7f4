import type { HotState } from '../../ports.js'
import { hotStateUnavailable } from '../../hot-state/errors.js'

/** A HotState that can be switched off like a dead Redis, counting the calls it receives. */
export interface FlakyHotState extends HotState {
  down: boolean
  calls: number
}

const METHODS = ['get', 'incr', 'feedAppend', 'feedRead'] as const

/**
 * @example
 * const redis = createFlakyHotState(createMemoryHotState())
 * redis.down = true // every call now rejects with store_unavailable
 */
export function createFlakyHotState(inner: HotState): FlakyHotState {
  const flaky = { down: false, calls: 0 } as FlakyHotState
  for (const name of METHODS) {
    const method = inner[name] as (...args: unknown[]) => Promise<unknown>
    Object.assign(flaky, {
      [name]: async (...args: unknown[]) => {
        flaky.calls++
        if (flaky.down) throw hotStateUnavailable('simulated outage')
        return method.apply(inner, args)
      },
    })
  }
  return flaky
}
