/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Fmt } from './intl.js'

/** What a page shows with nothing to show yet: what it will hold, and the next step. */
export function EmptyState(props: {
  f: Fmt
  title: string
  body: string
  href?: string
  action?: string
  id?: string
}) {
  return (
    <div class="empty" id={props.id ?? 'empty-state'}>
      <h2>{props.title}</h2>
      <p>{props.body}</p>
      {props.href && props.action ? (
        <p>
          <a class="button primary" href={props.href}>
            {props.action}
          </a>
        </p>
      ) : null}
    </div>
  )
}
