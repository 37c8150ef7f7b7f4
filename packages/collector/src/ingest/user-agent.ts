import { UAParser } from 'ua-parser-js'
import { memoByString } from './memo.js'

export interface ParsedUserAgent {
  browser?: { name?: string; version?: string }
  os?: { name?: string; version?: string }
  device?: { type: string; vendor?: string; model?: string }
}

const clean = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>

/** Parses a User-Agent header with ua-parser-js (memoised). */
export const parseUserAgent = memoByString(parse, { size: 2000, maxKeyLength: Infinity })

function parse(ua: string): ParsedUserAgent {
  const r = UAParser(ua.slice(0, 1024))
  const parsed: ParsedUserAgent = {
    browser: clean({ name: r.browser.name, version: r.browser.version }),
    os: clean({ name: r.os.name, version: r.os.version }),
    device: {
      type: r.device.type ?? 'desktop',
      ...clean({ vendor: r.device.vendor, model: r.device.model }),
    },
  }
  return parsed
}
