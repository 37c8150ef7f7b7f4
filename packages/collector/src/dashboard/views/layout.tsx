/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import { LOCALES, t, type Locale } from '../i18n/index.js'
import { STYLES } from './styles.js'
import { gradeLabel } from './grades.js'
import type { Role } from '../../team/port.js'
import { roleHolds, type Permission } from '../../auth/permissions.js'

type NavEntry = readonly [string, string, string, Permission]

/**
 * The navigation, in order: [section, message key, href, permission]. A new page joins with one
 * line here (its message key in its area's catalog file) and passes its section to page(); only
 * roles holding the permission (auth/permissions.ts) see the entry. Reports and settings-like
 * pages join a group (REPORTS, SETTINGS below): one top entry, and a sub-navigation on each of
 * their pages, so the header fits 1280 px and every page is at most two clicks away.
 */
const NAV = [
  ['overview', 'nav.overview', '/app', 'read'],
  ['contacts', 'nav.contacts', '/app/contacts', 'read'],
  ['segments', 'segments.nav', '/app/segments', 'read'],
  ['accounts', 'accounts.nav', '/app/accounts', 'read'],
  ['live', 'nav.live', '/app/live', 'read'],
  ['rules', 'nav.rules', '/app/rules', 'read'],
  ['reports', 'shell.nav.reports', '/app/reports', 'read'],
  ['setup', 'nav.setup', '/app/setup', 'read'],
  ['settingsMenu', 'shell.nav.settings', '/app/settings', 'read'],
] as const satisfies readonly NavEntry[]

/** The reports (landing page: /app/reports, pages/reports-index.tsx). */
export const REPORTS = [
  ['kpis', 'nav.kpis', '/app/kpis', 'read'],
  ['quality', 'nav.quality', '/app/quality', 'read'],
  ['qualityHistory', 'reports.nav.qualityHistory', '/app/quality/history', 'read'],
  ['reasons', 'reports.nav.reasons', '/app/reasons', 'read'],
  ['campaigns', 'reports.nav.campaigns', '/app/campaigns', 'read'],
  ['alerts', 'reports.nav.alerts', '/app/alerts', 'read'],
] as const satisfies readonly NavEntry[]

/** Workspace and person settings, under the "Settings" entry (its first page is its target). */
const SETTINGS = [
  ['settings', 'shell.nav.workspace', '/app/settings', 'read'],
  ['team', 'team.nav.team', '/app/team', 'team'],
  ['keys', 'team.nav.keys', '/app/keys', 'team'],
  ['audit', 'team.nav.audit', '/app/audit', 'audit'],
  ['account', 'team.nav.account', '/app/account', 'signed-in'],
] as const satisfies readonly NavEntry[]

/** Each group's top entry and its pages. */
const GROUPS: readonly (readonly [string, string, readonly NavEntry[]])[] = [
  ['reports', 'shell.nav.reports', REPORTS],
  ['settingsMenu', 'shell.nav.settings', SETTINGS],
]

/** The nav entry a page belongs to (highlighted); 'none' for pages outside the nav. */
export type Section =
  | Exclude<(typeof NAV)[number][0], 'settingsMenu'>
  | (typeof REPORTS)[number][0]
  | (typeof SETTINGS)[number][0]
  | 'none'

/** The group a section belongs to, with its top entry's key. */
function groupOf(section: Section) {
  return GROUPS.find(([, , items]) => items.some(([key]) => key === section))
}

const visible = (entries: readonly NavEntry[], role?: Role) =>
  entries.filter(([, , , p]) => !role || roleHolds(role, p))

/** Each language named in itself, so anyone can find their own. */
const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' }

/**
 * Links that switch the dashboard's language for this person and come back to `path`; the last
 * one forgets the choice, so the browser's Accept-Language decides again. `chosen` is the
 * person's explicit choice (null: following the browser).
 */
export function LanguageSwitch(props: { locale: Locale; path: string; chosen: Locale | null }) {
  const back = encodeURIComponent(props.path)
  return (
    <nav class="langs" aria-label={t(props.locale, 'shell.language')}>
      {LOCALES.map((l) => (
        <a
          href={`/app/lang?to=${l}&next=${back}`}
          lang={l}
          hreflang={l}
          aria-current={l === props.chosen ? 'true' : undefined}
        >
          {LANGUAGE_NAMES[l]}
        </a>
      ))}
      <a
        href={`/app/lang?to=auto&next=${back}`}
        id="lang-auto"
        aria-current={props.chosen === null ? 'true' : undefined}
      >
        {t(props.locale, 'shell.lang.auto')}
      </a>
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
  chosen: Locale | null
}) {
  const l = props.locale
  const group = groupOf(props.section)?.[0]
  return (
    <header>
      <a class="brand" href="/app">
        Lodestone
      </a>
      <nav class="main" aria-label={t(l, 'shell.navigation')}>
        {visible(NAV, props.role).map(([key, label, href]) => {
          // The page itself, or (for a group's top entry) one of its pages.
          const here = key === props.section || key === group
          return (
            <a
              href={href}
              class={here ? 'on' : ''}
              aria-current={key === props.section ? 'page' : here ? 'true' : undefined}
            >
              {t(l, label)}
            </a>
          )
        })}
      </nav>
      <div class="account">
        <LanguageSwitch locale={l} path={props.path} chosen={props.chosen} />
        <form method="post" action="/app/logout">
          <input type="hidden" name="_csrf" value={props.csrf ?? ''} />
          <span class="ws">{props.workspace}</span>{' '}
          <button type="submit">{t(l, 'action.signOut')}</button>
        </form>
      </div>
    </header>
  )
}

/** The pages of the current page's group (reports, settings), the current one marked. */
function SubNav(props: { locale: Locale; section: Section; role?: Role }) {
  const group = groupOf(props.section)
  if (!group) return null
  const [, label, items] = group
  return (
    <nav class="sub" aria-label={t(props.locale, label)} id="subnav">
      {group[0] === 'reports' ? (
        <a href="/app/reports">{t(props.locale, 'shell.reports.all')}</a>
      ) : null}
      {visible(items, props.role).map(([key, l, href]) => (
        <a
          href={href}
          class={key === props.section ? 'on' : ''}
          aria-current={key === props.section ? 'page' : undefined}
        >
          {t(props.locale, l)}
        </a>
      ))}
    </nav>
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
  /** The person's own language choice; null when their browser's language decides. */
  chosen?: Locale | null
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
            chosen={props.chosen ?? null}
          />
        ) : null}
        <main id="main" tabindex={-1}>
          {props.section ? (
            <SubNav locale={props.locale} section={props.section} role={props.role} />
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  )
}

/**
 * A grade as a badge, in the reader's language when it is one of the default grades
 * (views/grades.ts); the stored name stays the badge's `data-grade`.
 */
export function GradeBadge(props: { grade: unknown; top?: string | null; locale: Locale }) {
  const g = typeof props.grade === 'string' ? props.grade : null
  return (
    <span class={`grade ${props.top && g === props.top ? 'top' : ''}`} data-grade={g ?? undefined}>
      {g === null ? '–' : gradeLabel(props.locale, g)}
    </span>
  )
}
