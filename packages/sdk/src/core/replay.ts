import type { Lodestone } from './types.js'

type Methods = Record<string, ((...args: unknown[]) => unknown) | undefined>

/**
 * Calls `name` (`track`, or a dotted one such as `consent.set`) on an instance; unknown names
 * are ignored. Used to replay calls queued by the snippet stub or made before `load`.
 *
 * @example
 * callMethod(lodestone, 'consent.set', [{ analytics: true }])
 */
export const callMethod = (instance: Lodestone, name: string, args: unknown[]): void => {
  const [head, tail] = String(name).split('.')
  const target = (tail ? instance[head as keyof Lodestone] : instance) as unknown as Methods
  const fn = target && target[tail ?? head!]
  if (typeof fn === 'function') fn.apply(target, args)
}
