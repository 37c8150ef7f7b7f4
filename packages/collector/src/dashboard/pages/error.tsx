/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { t, type Locale } from '../i18n/index.js'

const KNOWN = [400, 401, 403, 404, 405, 413, 429, 503]
const known = (status: number) => (KNOWN.includes(status) ? status : status < 500 ? 400 : 500)

/** The error page's title for a status, in the reader's language. */
export const errorTitle = (l: Locale, status: number) => t(l, `error.${known(status)}.title`)

/** A styled error: what happened, what to do next, and the way back. */
export function ErrorBody(props: { locale: Locale; status: number }) {
  const l = props.locale
  return (
    <div class="card error-page" id="error" data-status={props.status}>
      <p class="muted">{t(l, 'error.status', { status: props.status })}</p>
      <h1>{errorTitle(l, props.status)}</h1>
      <p>{t(l, `error.${known(props.status)}.body`)}</p>
      <p class="actions">
        <a class="button" href="/app">
          {t(l, 'error.back')}
        </a>
        <a class="button" href="/app/contacts">
          {t(l, 'nav.contacts')}
        </a>
      </p>
    </div>
  )
}
