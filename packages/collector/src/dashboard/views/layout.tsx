/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import { STYLES } from './styles.js'
import type { Role } from '../../team/port.js'
import { roleHolds, type Permission } from '../../auth/permissions.js'
import { t, type Locale } from '../i18n/index.js'

export type Section =
  | 'overview'
  | 'contacts'
  | 'live'
  | 'rules'
  | 'quality'
  | 'kpis'
  | 'team'
  | 'keys'
  | 'audit'
  | 'account'

const NAV: [Section, string, string][] = [
  ['overview', 'Overview', '/app'],
  ['contacts', 'Contacts', '/app/contacts'],
  ['live', 'Live', '/app/live'],
  ['rules', 'Rules', '/app/rules'],
  ['quality', 'Quality', '/app/quality'],
  ['kpis', 'KPIs', '/app/kpis'],
]

/** Pages shown only to roles that hold their permission (auth/permissions.ts). */
const ROLE_NAV: [Section, string, string, Permission][] = [
  ['team', 'team.nav.team', '/app/team', 'team'],
  ['keys', 'team.nav.keys', '/app/keys', 'team'],
  ['audit', 'team.nav.audit', '/app/audit', 'audit'],
  ['account', 'team.nav.account', '/app/account', 'signed-in'],
]

/** The page shell. `nonce` is the CSP nonce for the inline style and any inline script. */
export function Layout(props: {
  title: string
  nonce: string
  section?: Section
  workspace?: string
  csrf?: string
  role?: Role
  locale?: Locale
  children?: Child
}) {
  const role = props.role
  const roleNav = role ? ROLE_NAV.filter(([, , , p]) => roleHolds(role, p)) : []
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Lodestone`}</title>
        {/* a constant, never user data */}
        <style nonce={props.nonce} dangerouslySetInnerHTML={{ __html: STYLES }} />
      </head>
      <body>
        {props.section ? (
          <header>
            <a class="brand" href="/app">
              Lodestone
            </a>
            {NAV.map(([key, label, href]) => (
              <a href={href} class={key === props.section ? 'on' : ''}>
                {label}
              </a>
            ))}
            {roleNav.map(([key, label, href]) => (
              <a href={href} class={key === props.section ? 'on' : ''}>
                {t(props.locale ?? 'en', label)}
              </a>
            ))}
            <form method="post" action="/app/logout">
              <input type="hidden" name="_csrf" value={props.csrf ?? ''} />
              <span class="muted">{props.workspace}</span> <button type="submit">Sign out</button>
            </form>
          </header>
        ) : null}
        <main>{props.children}</main>
      </body>
    </html>
  )
}

export function GradeBadge(props: { grade: unknown; top?: string | null }) {
  const g = typeof props.grade === 'string' ? props.grade : '–'
  return <span class={`grade ${props.top && g === props.top ? 'top' : ''}`}>{g}</span>
}
