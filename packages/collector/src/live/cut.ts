import type { ServerResponse } from 'node:http'
import type { Context } from 'hono'

/**
 * Closes a response's connection at once, under Node (`@hono/node-server` puts the
 * `ServerResponse` in `c.env.outgoing`); undefined elsewhere, where aborting the stream is all
 * there is. A response that has finished is left alone: its socket may serve the next request.
 */
export function cutConnection(c: Context): (() => void) | undefined {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing
  if (!outgoing) return undefined
  return () => {
    if (!outgoing.writableFinished && !outgoing.destroyed) outgoing.destroy()
  }
}
