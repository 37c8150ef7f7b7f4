/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// What the report pages share (docs/dashboard.md): the form's error line, the date range fields
// and number formatting. Every string through t(); every value escaped by JSX.
import { t, type Locale } from '../i18n/index.js'

export type L = { locale: Locale }
export const num = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? '–' : String(Math.round(v * 10 ** digits) / 10 ** digits)
/** Label every n-th bar so at most eight labels show. */
export const every = (n: number) => Math.max(1, Math.ceil(n / 8))

export function Errors(props: L & { error?: string }) {
  return props.error ? (
    <p class="error" role="alert">
      {t(props.locale, 'reports.error.form', { message: props.error })}
    </p>
  ) : null
}

export function RangeFields(props: L & { from: string; to: string }) {
  return (
    <>
      <label>
        {t(props.locale, 'reports.form.from')}
        <input type="date" name="from" value={props.from} />
      </label>
      <label>
        {t(props.locale, 'reports.form.to')}
        <input type="date" name="to" value={props.to} />
      </label>
    </>
  )
}
