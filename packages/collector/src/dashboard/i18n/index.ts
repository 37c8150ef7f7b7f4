// Dashboard languages: English and Simplified Chinese. Every user-visible string of /app goes
// through t(); each dashboard area keeps its strings in messages/<area>.ts, merged in catalog.ts.
import { CATALOG } from './catalog.js'
import { DEFAULT_LOCALE, type Locale } from './locales.js'

export { DEFAULT_LOCALE, LOCALES, type Locale, type Messages } from './locales.js'

/** A supported locale from a tag such as `zh`, `zh-Hans-CN` or `en-GB`; null when unsupported. */
export function matchLocale(tag: string | undefined | null): Locale | null {
  if (!tag) return null
  const t = tag.trim().toLowerCase()
  if (t === 'zh' || t.startsWith('zh-cn') || t.startsWith('zh-hans') || t.startsWith('zh-sg'))
    return 'zh-CN'
  if (t === 'en' || t.startsWith('en-')) return 'en'
  return null
}

/** The best supported locale of an Accept-Language header, by its q-values; English otherwise. */
export function negotiateLocale(acceptLanguage: string | undefined | null): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE
  const ranked = acceptLanguage
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag, ...params] = part.split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean)
      return { tag: tag ?? '', q: q === undefined ? 1 : Number(q), i }
    })
    .filter((r) => r.q > 0 && Number.isFinite(r.q))
    .sort((a, b) => b.q - a.q || a.i - b.i)
  for (const r of ranked) {
    const l = matchLocale(r.tag)
    if (l) return l
  }
  return DEFAULT_LOCALE
}

/**
 * The string for `key` in `locale`, with `{name}` placeholders filled from `params`. A key that
 * no catalog has is returned as is, so a missing translation shows up rather than breaking a page.
 *
 * @example t('zh-CN', 'nav.contacts') // '联系人'
 */
export function t(locale: Locale, key: string, params?: Record<string, string | number>): string {
  const s = CATALOG[locale][key] ?? CATALOG.en[key] ?? key
  if (!params) return s
  return s.replace(/\{(\w+)\}/g, (m, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : m,
  )
}
