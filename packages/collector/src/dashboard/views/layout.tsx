/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import { STYLES } from './styles.js'

export type Section = 'overview' | 'contacts' | 'live' | 'rules' | 'quality' | 'kpis'

const NAV: [Section, string, string][] = [
  ['overview', 'Overview', '/app'],
  ['contacts', 'Contacts', '/app/contacts'],
  ['live', 'Live', '/app/live'],
  ['rules', 'Rules', '/app/rules'],
  ['quality', 'Quality', '/app/quality'],
  ['kpis', 'KPIs', '/app/kpis'],
]

/** The page shell. `nonce` is the CSP nonce for the inline style and any inline script. */
export function Layout(props: {
  title: string
  nonce: string
  section?: Section
  workspace?: string
  csrf?: string
  children?: Child
}) {
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
