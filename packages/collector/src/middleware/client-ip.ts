import type { Context } from 'hono'

/**
 * The client's IP: from the configured trusted proxy header when one is set (the left-most
 * address of X-Forwarded-For style lists), else from the runtime's connection info.
 */
export function clientIp(
  c: Context,
  trustedHeader: string | undefined,
  connectionIp: ((c: Context) => string | null) | undefined,
): string | null {
  if (trustedHeader) {
    const v = c.req.header(trustedHeader)
    const first = v?.split(',')[0]?.trim()
    if (first) return first.slice(0, 64)
  }
  try {
    return connectionIp?.(c) ?? null
  } catch {
    return null
  }
}
