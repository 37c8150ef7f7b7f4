/**
 * The path of a page (or screen) view for the live feed, so an untitled page still says where
 * the visitor was: `properties.path`, else the path of `properties.url`, else the page context's
 * (as the scoring engine reads a page: packages/scoring/src/event.ts). The path only: a query
 * string or fragment can carry tokens and addresses, and the feed is shown to every dashboard
 * user. Null for other events and for what is not a path; at most 200 characters.
 */
export function pagePath(type: string, payload: unknown): string | null {
  if (type !== 'page' && type !== 'screen') return null
  const p = payload as {
    properties?: { path?: unknown; url?: unknown } | null
    context?: { page?: { path?: unknown; url?: unknown } | null } | null
  } | null
  const props = p?.properties
  const page = p?.context?.page
  for (const value of [props?.path, props?.url, page?.path, page?.url]) {
    const path = pathOf(value)
    if (path !== null) return path.length > 200 ? `${path.slice(0, 199)}…` : path
  }
  return null
}

function pathOf(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null
  if (value.startsWith('/')) return value.split(/[?#]/, 1)[0]!
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.pathname : null
  } catch {
    return null
  }
}
