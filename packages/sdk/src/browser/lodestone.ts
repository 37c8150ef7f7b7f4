import { createLodestoneWith } from '../core/lodestone.js'
import type { Lodestone } from '../core/types.js'
import { createBrowserEnv, type BrowserRuntime } from './env.js'

/**
 * A browser SDK instance (nothing runs until `load`). Calls made before `load` are replayed.
 *
 * @example
 * import { createLodestone } from '@lodestone/sdk'
 * const lodestone = createLodestone()
 * lodestone.load('wk_123', { host: 'https://collect.example.com' })
 * lodestone.track('Signed Up', { plan: 'pro' })
 */
export const createLodestone = (runtime?: BrowserRuntime): Lodestone => {
  return createLodestoneWith((o) => createBrowserEnv(o, runtime))
}
