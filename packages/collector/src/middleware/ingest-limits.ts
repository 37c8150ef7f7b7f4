import type { Context } from 'hono'
import type { IngestLimits } from '../deps.js'
import type { HotCounters } from '../ports.js'
import { CollectorError } from '../errors.js'
import { createRateLimiter } from '../hot-state/rate-limit.js'
import { clientIp } from './client-ip.js'

export interface IngestLimitOptions {
  /** Events per second one workspace may send (default 60,000; README, LODESTONE_RATE_LIMIT). */
  workspaceEventsPerSecond?: number
  /** Events per second from one client IP (default 20,000). */
  ipEventsPerSecond?: number
  trustedProxyHeader?: string
  getConnectionIp?: (c: Context) => string | null
  log?: (message: string) => void
}

/** Per-workspace and per-IP event rate limits on the hot state, answered with 429 + Retry-After. */
export function createIngestLimits(hot: HotCounters, opts: IngestLimitOptions = {}): IngestLimits {
  const windowSeconds = 10
  const byWorkspace = createRateLimiter(hot, {
    limit: (opts.workspaceEventsPerSecond ?? 60_000) * windowSeconds,
    windowSeconds,
    prefix: 'rl:ws:',
    log: opts.log,
  })
  const byIp = createRateLimiter(hot, {
    limit: (opts.ipEventsPerSecond ?? 20_000) * windowSeconds,
    windowSeconds,
    prefix: 'rl:ip:',
    log: opts.log,
  })
  return {
    async checkIngest(c, workspaceId, events) {
      const ip = clientIp(c, opts.trustedProxyHeader, opts.getConnectionIp)
      const [ws, perIp] = await Promise.all([
        byWorkspace.check(workspaceId, events),
        ip ? byIp.check(ip, events) : Promise.resolve({ allowed: true, retryAfterSeconds: 0 }),
      ])
      const denied = !ws.allowed ? ws : !perIp.allowed ? perIp : null
      if (denied) {
        throw new CollectorError('rate_limited', 'Too many events: slow down and retry', {
          retryAfterSeconds: Math.max(1, denied.retryAfterSeconds),
        })
      }
    },
  }
}
