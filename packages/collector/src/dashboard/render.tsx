/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// What every dashboard route uses to answer: a page inside the app shell, small input helpers.
import type { Context } from 'hono'
import type { JSX } from 'hono/jsx/jsx-runtime'
import type { DashboardEnv } from './auth/guard.js'
import { Layout, type Section } from './views/layout.js'
import { localeChoice } from './security.js'

export type Ctx = Context<DashboardEnv>

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A whole HTML document from a JSX tree. */
export async function render(c: Ctx, node: JSX.Element, status = 200) {
  return c.html(`<!doctype html>${await node.toString()}`, status as 200)
}

/** A page inside the signed-in shell (navigation, language switcher, sign out). */
export function page(c: Ctx, title: string, section: Section, body: JSX.Element, status = 200) {
  const s = c.var.session
  return render(
    c,
    <Layout
      title={title}
      locale={c.var.locale}
      nonce={c.var.nonce}
      section={section}
      workspace={s.workspace.name}
      csrf={s.csrf}
      path={currentPath(c)}
      role={s.role}
      chosen={localeChoice(c)}
    >
      {body}
    </Layout>,
    status,
  )
}

/** The request's path and query, for "come back here" links (language switch, sign-in). */
export const currentPath = (c: Ctx) => c.req.path + (new URL(c.req.url).search || '')

/** Only same-dashboard paths are valid targets, so `next` cannot send anyone elsewhere. */
export const safeNext = (v: unknown) =>
  typeof v === 'string' && /^\/app(\/[\w\-/%.]*)?(\?[^\s\\]*)?$/.test(v) && !v.includes('//')
    ? v
    : '/app'

/** A trimmed, bounded form or query value; undefined when empty. */
export const text = (v: string | undefined, max = 200) =>
  (v ?? '').trim().slice(0, max) || undefined
