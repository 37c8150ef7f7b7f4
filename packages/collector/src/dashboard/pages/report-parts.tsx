/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// What the report pages share (docs/dashboard.md): the form's error line, the date range fields
// and number formatting. Every string through t(); every value escaped by JSX.
import { t, type Locale } from '../i18n/index.js'
import { fmtFor } from '../views/intl.js'

export type L = { locale: Locale }
/** A figure with the reader's grouping and decimals through Intl (`200,000,000`); `–` when absent. */
export const num = (l: Locale, v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? '–' : fmtFor(l, 'UTC').num(v, digits)
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
