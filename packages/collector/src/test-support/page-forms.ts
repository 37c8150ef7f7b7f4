/**
 * The POST forms of a server-rendered page as a browser would send them, read from its HTML:
 * for tests that post what the pages actually offer (dashboard/dashboard.fuzz.test.ts).
 */

/** One form of a page as a browser would send it: its action and its fields' values. */
export interface PageForm {
  action: string
  fields: [string, string][]
  /** Named submit buttons: a browser sends the one clicked. */
  buttons: [string, string][]
}

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
const attr = (attrs: string, name: string) =>
  new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1] ?? null

/** The POST forms of a page, with each field as the page fills it in (first option, checked boxes). */
export function formsOf(html: string): PageForm[] {
  const out: PageForm[] = []
  for (const [, attrs, inner] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const action = attr(attrs!, 'action')
    if (!action || !/method="post"/i.test(attrs!) || !action.startsWith('/app/')) continue
    const fields: [string, string][] = []
    const buttons: [string, string][] = []
    const tags =
      /<(input|button)\b([^>]*)>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea>|<select\b([^>]*)>([\s\S]*?)<\/select>/g
    for (const m of inner!.matchAll(tags)) {
      const a = m[2] ?? m[3] ?? m[5] ?? ''
      const name = attr(a, 'name')
      if (!name) continue
      if (m[1] === 'input' && /type="(checkbox|radio)"/.test(a) && !/\bchecked\b/.test(a)) continue
      if (m[1] === 'input' && /type="file"/.test(a)) continue
      const value =
        m[4] ??
        (m[6]
          ? (attr(/<option\b[^>]*>/.exec(m[6])?.[0] ?? '', 'value') ?? '')
          : (attr(a, 'value') ?? ''))
      if (m[1] === 'button' || /type="submit"/.test(a)) buttons.push([name, unescape(value)])
      else fields.push([name, unescape(value)])
    }
    out.push({ action: unescape(action), fields, buttons })
  }
  return out
}
