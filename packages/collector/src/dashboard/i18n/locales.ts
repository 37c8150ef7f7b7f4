// The supported locales and the shape of an area's strings: a module of its own so that
// messages/<area>.ts and catalog.ts need not import index.ts (which imports them).

export const LOCALES = ['en', 'zh-CN'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'en'

/** One area's strings: the same keys in every locale (i18n.test.ts enforces it). */
export type Messages = Record<Locale, Record<string, string>>
