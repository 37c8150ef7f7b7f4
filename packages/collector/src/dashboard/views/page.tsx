/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Context } from 'hono'
import type { JSX } from 'hono/jsx/jsx-runtime'
import type { DashboardEnv } from '../auth/guard.js'
import { Layout, type Section } from './layout.js'

type Ctx = Context<DashboardEnv>

export async function render(c: Ctx, node: JSX.Element, status = 200) {
  return c.html(`<!doctype html>${await node.toString()}`, status as 200)
}

/** A signed-in page: the shell with navigation for the person's role, and the body. */
export function page(c: Ctx, title: string, section: Section, body: JSX.Element, status = 200) {
  const s = c.var.session
  return render(
    c,
    <Layout
      title={title}
      nonce={c.var.nonce}
      section={section}
      workspace={s.workspace.name}
      csrf={s.csrf}
      role={s.role}
      locale={c.var.locale}
    >
      {body}
    </Layout>,
    status,
  )
}
