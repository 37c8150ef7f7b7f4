/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import { LOCALES, t, type Locale } from '../i18n/index.js'
import { STYLES } from './styles.js'

/**
 * The navigation, in order: [section, message key, href]. A new page joins with one line here
 * (its message key in its area's catalog file) and passes its section to page().
 */
const NAV = [
  ['overview', 'nav.overview', '/app'],
  ['contacts', 'nav.contacts', '/app/contacts'],
  ['live', 'nav.live', '/app/live'],
  ['rules', 'nav.rules', '/app/rules'],
  ['quality', 'nav.quality', '/app/quality'],
  ['kpis', 'nav.kpis', '/app/kpis'],
  ['reasons', 'reports.nav.reasons', '/app/reasons'],
  ['campaigns', 'reports.nav.campaigns', '/app/campaigns'],
  ['qualityHistory', 'reports.nav.qualityHistory', '/app/quality/history'],
  ['alerts', 'reports.nav.alerts', '/app/alerts'],
  ['setup', 'nav.setup', '/app/setup'],
  ['settings', 'nav.settings', '/app/settings'],
] as const satisfies readonly (readonly [string, string, string])[]

/** The nav entry a page belongs to (highlighted); 'none' for pages outside the nav. */
export type Section = (typeof NAV)[number][0] | 'none'

/** Each language named in itself, so anyone can find their own. */
const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' }

/** Links that switch the dashboard's language for this person and come back to `path`. */
export function LanguageSwitch(props: { locale: Locale; path: string }) {
  return (
    <nav class="langs" aria-label={t(props.locale, 'shell.language')}>
      {LOCALES.map((l) => (
        <a
          href={`/app/lang?to=${l}&next=${encodeURIComponent(props.path)}`}
          lang={l}
          hreflang={l}
          aria-current={l === props.locale ? 'true' : undefined}
        >
          {LANGUAGE_NAMES[l]}
        </a>
      ))}
    </nav>
  )
}

function Header(props: {
  locale: Locale
  section: Section
  workspace?: string
  csrf?: string
  path: string
}) {
  const l = props.locale
  return (
    <header>
      <a class="brand" href="/app">
        Lodestone
      </a>
      <nav class="main" aria-label={t(l, 'shell.navigation')}>
        {NAV.map(([key, label, href]) => (
          <a
            href={href}
            class={key === props.section ? 'on' : ''}
            aria-current={key === props.section ? 'page' : undefined}
          >
            {t(l, label)}
          </a>
        ))}
      </nav>
      <div class="account">
        <LanguageSwitch locale={l} path={props.path} />
        <form method="post" action="/app/logout">
          <input type="hidden" name="_csrf" value={props.csrf ?? ''} />
          <span class="ws">{props.workspace}</span>{' '}
          <button type="submit">{t(l, 'action.signOut')}</button>
        </form>
      </div>
    </header>
  )
}

/** The page shell. `nonce` is the CSP nonce for the inline style and any inline script. */
export function Layout(props: {
  title: string
  locale: Locale
  nonce: string
  section?: Section
  workspace?: string
  csrf?: string
  /** The current path and query, for the language switcher's way back. */
  path?: string
  children?: Child
}) {
  return (
    <html lang={props.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Lodestone`}</title>
        {/* a constant, never user data */}
        <style nonce={props.nonce} dangerouslySetInnerHTML={{ __html: STYLES }} />
      </head>
      <body>
        <a class="skip" href="#main">
          {t(props.locale, 'shell.skip')}
        </a>
        {props.section ? (
          <Header
            locale={props.locale}
            section={props.section}
            workspace={props.workspace}
            csrf={props.csrf}
            path={props.path ?? '/app'}
          />
        ) : null}
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  )
}

export function GradeBadge(props: { grade: unknown; top?: string | null }) {
  const g = typeof props.grade === 'string' ? props.grade : '–'
  return <span class={`grade ${props.top && g === props.top ? 'top' : ''}`}>{g}</span>
}
