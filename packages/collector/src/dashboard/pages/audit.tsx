/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { t, type Locale } from '../i18n/index.js'
import type { AuditEntry } from '../../team/port.js'
import { FormError } from '../views/form-error.js'
import type { Fmt } from '../views/intl.js'
import { When } from '../views/when.js'

export interface AuditFilters {
  action?: string
  actor?: string
  from?: string
  to?: string
}

const change = (e: AuditEntry) =>
  e.before === undefined && e.after === undefined && !e.detail
    ? ''
    : JSON.stringify({ before: e.before, after: e.after, detail: e.detail }).slice(0, 2000)

/** The audit trail with filters, newest first. */
export function AuditBody(props: {
  locale: Locale
  /** Times in the workspace's time zone, in the reader's language. */
  fmt: Fmt
  filters: AuditFilters
  entries: AuditEntry[]
  next: string | null
  error?: string
}) {
  const l = props.locale
  const f = props.filters
  const nextQuery = new URLSearchParams(
    Object.entries({ ...f, cursor: props.next ?? '' }).filter(([, v]) => v) as [string, string][],
  )
  return (
    <>
      <h1>{t(l, 'team.audit.title')}</h1>
      <form class="filters" method="get" action="/app/audit">
        <label>
          {t(l, 'team.audit.action')}
          <input name="action" value={f.action ?? ''} placeholder="rules.update" />
        </label>
        <label>
          {t(l, 'team.audit.actorId')}
          <input name="actor" value={f.actor ?? ''} />
        </label>
        <label>
          {t(l, 'team.audit.from')}
          <input type="date" name="from" value={f.from ?? ''} />
        </label>
        <label>
          {t(l, 'team.audit.to')}
          <input type="date" name="to" value={f.to ?? ''} />
        </label>
        <button type="submit">{t(l, 'team.audit.filter')}</button>
      </form>
      <FormError error={props.error} />
      <div class="card">
        {props.entries.length === 0 ? (
          <p class="muted">{t(l, 'team.audit.none')}</p>
        ) : (
          // Wide on a phone: the table scrolls inside its card, reachable by keyboard.
          <div class="scroll" tabindex={0}>
            <table id="audit">
              <thead>
                <tr>
                  <th>{t(l, 'team.audit.at')}</th>
                  <th>{t(l, 'team.audit.actor')}</th>
                  <th>{t(l, 'team.audit.ip')}</th>
                  <th>{t(l, 'team.audit.action')}</th>
                  <th>{t(l, 'team.audit.target')}</th>
                  <th>{t(l, 'team.audit.change')}</th>
                </tr>
              </thead>
              <tbody>
                {props.entries.map((e) => (
                  <tr>
                    <td class="nowrap">
                      <When f={props.fmt} at={e.at} />
                    </td>
                    <td>{`${e.actor.kind}: ${e.actor.label ?? e.actor.id ?? '–'}`}</td>
                    <td>{e.ip ?? '–'}</td>
                    <td>{e.action}</td>
                    <td>{e.target ?? ''}</td>
                    <td>
                      <pre>{change(e)}</pre>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {props.next ? (
        <p class="pager">
          <a href={`/app/audit?${nextQuery}`}>{t(l, 'team.audit.older')}</a>
        </p>
      ) : null}
    </>
  )
}
