import { Hono } from 'hono'
import type { AppDeps } from '../deps.js'

async function sha1Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(d).slice(0, 10), (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Serves the script-tag builds: `/sdk.js` (full), `/sdk.core.js` and the chat add-on
 * `/sdk-chat.js` (live-chat vendor adapters, used beside the full build) and the personalisation
 * add-on `/sdk-segments.js` (`lodestone.segments()`, beside the full build).
 */
export function sdkRoutes(deps: Pick<AppDeps, 'sdkScript'>) {
  const app = new Hono()
  const etags = new Map<string, string>()
  for (const [path, variant] of [
    ['/sdk.js', 'full'],
    ['/sdk.core.js', 'core'],
    ['/sdk-chat.js', 'chat'],
    ['/sdk-segments.js', 'segments'],
  ] as const) {
    app.get(path, async (c) => {
      const script = await deps.sdkScript?.(variant)
      if (!script)
        return c.json(
          { success: false, error: { code: 'not_found', message: 'SDK not built (pnpm build)' } },
          404,
        )
      let etag = etags.get(script)
      if (!etag) {
        etag = `"${await sha1Hex(script)}"`
        etags.set(script, etag)
      }
      c.header('ETag', etag)
      // Short max-age: the URL is not versioned, so updates must reach sites within minutes.
      c.header('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400')
      c.header('Access-Control-Allow-Origin', '*')
      if (c.req.header('if-none-match') === etag) return c.body(null, 304)
      return c.body(script, 200, { 'Content-Type': 'application/javascript; charset=utf-8' })
    })
  }
  return app
}
