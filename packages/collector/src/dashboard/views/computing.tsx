/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Fmt } from './intl.js'

/**
 * A page of whole-workspace figures whose first snapshot is still being computed (large
 * workspaces: dashboard/snapshots.ts): says so instead of keeping the visitor waiting.
 * `message`: the page's own key for it (default `snapshots.computing`).
 */
export function Computing(props: { f: Fmt; id?: string; message?: string }) {
  return (
    <section class="card" id={props.id ?? 'snapshot-computing'} data-computing="1" role="status">
      <p>{props.f.t(props.message ?? 'snapshots.computing')}</p>
      <p>
        <a class="button" href="">
          {props.f.t('snapshots.reload')}
        </a>
      </p>
    </section>
  )
}
