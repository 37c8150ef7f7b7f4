import { UAParser } from 'ua-parser-js'

export interface ParsedUserAgent {
  browser?: { name?: string; version?: string }
  os?: { name?: string; version?: string }
  device?: { type: string; vendor?: string; model?: string }
}

// Real traffic repeats a few hundred user agents; caching them keeps parsing off the hot path.
const cache = new Map<string, ParsedUserAgent>()
const CACHE_SIZE = 2000

const clean = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>

/** Parses a User-Agent header with ua-parser-js (memoised). */
export function parseUserAgent(ua: string): ParsedUserAgent {
  const hit = cache.get(ua)
  if (hit) return hit
  const r = UAParser(ua.slice(0, 1024))
  const parsed: ParsedUserAgent = {
    browser: clean({ name: r.browser.name, version: r.browser.version }),
    os: clean({ name: r.os.name, version: r.os.version }),
    device: {
      type: r.device.type ?? 'desktop',
      ...clean({ vendor: r.device.vendor, model: r.device.model }),
    },
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string)
  cache.set(ua, parsed)
  return parsed
}
