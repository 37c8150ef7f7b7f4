/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import { LOCALES, t, type Locale } from '../i18n/index.js'
import { STYLES } from './styles.js'
import type { Role } from '../../team/port.js'
import { roleHolds, type Permission } from '../../auth/permissions.js'

/**
 * The navigation, in order: [section, message key, href, permission]. A new page joins with one
 * line here (its message key in its area's catalog file) and passes its section to page(); only
 * roles holding the permission (auth/permissions.ts) see the entry.
 */
const NAV = [
  ['overview', 'nav.overview', '/app', 'read'],
  ['contacts', 'nav.contacts', '/app/contacts', 'read'],
  ['segments', 'segments.nav', '/app/segments', 'read'],
  ['accounts', 'accounts.nav', '/app/accounts', 'read'],
  ['live', 'nav.live', '/app/live', 'read'],
  ['rules', 'nav.rules', '/app/rules', 'read'],
  ['quality', 'nav.quality', '/app/quality', 'read'],
  ['kpis', 'nav.kpis', '/app/kpis', 'read'],
  ['reasons', 'reports.nav.reasons', '/app/reasons', 'read'],
  ['campaigns', 'reports.nav.campaigns', '/app/campaigns', 'read'],
  ['qualityHistory', 'reports.nav.qualityHistory', '/app/quality/history', 'read'],
  ['alerts', 'reports.nav.alerts', '/app/alerts', 'read'],
  ['setup', 'nav.setup', '/app/setup', 'read'],
  ['settings', 'nav.settings', '/app/settings', 'read'],
  ['team', 'team.nav.team', '/app/team', 'team'],
  ['keys', 'team.nav.keys', '/app/keys', 'team'],
  ['audit', 'team.nav.audit', '/app/audit', 'audit'],
  ['account', 'team.nav.account', '/app/account', 'signed-in'],
] as const satisfies readonly (readonly [string, string, string, Permission])[]

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
  role?: Role
}) {
  const l = props.locale
  return (
    <header>
      <a class="brand" href="/app">
        Lodestone
      </a>
      <nav class="main" aria-label={t(l, 'shell.navigation')}>
        {NAV.filter(([, , , p]) => !props.role || roleHolds(props.role, p)).map(
          ([key, label, href]) => (
            <a
              href={href}
              class={key === props.section ? 'on' : ''}
              aria-current={key === props.section ? 'page' : undefined}
            >
              {t(l, label)}
            </a>
          ),
        )}
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
  /** The signed-in person's role: the navigation shows what it may open. */
  role?: Role
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
            role={props.role}
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
