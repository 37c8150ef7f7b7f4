import { Analytics } from '@segment/analytics-node'

/**
 * Segment's Node client pointed at a Lodestone collector. The key travels as the HTTP Basic
 * user name, Segment's way; lifecycle events need the workspace's secret key (`sk_…`).
 * @example
 * const analytics = createSender({ host: 'http://localhost:8787', secretKey: 'sk_…' })
 */
export function createSender({
  host,
  secretKey,
  flushInterval = 500,
}: {
  host: string
  secretKey: string
  flushInterval?: number
}): Analytics {
  return new Analytics({ writeKey: secretKey, host, flushInterval, maxRetries: 3 })
}
