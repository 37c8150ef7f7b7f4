/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Fmt } from '../views/intl.js'
import { FormError } from '../views/form-error.js'

/** Workspace settings: the time zone every date is shown in. */
export function SettingsBody(props: {
  f: Fmt
  csrf: string
  timeZone: string
  zones: string[]
  saved: boolean
  error?: string
}) {
  const { f } = props
  return (
    <>
      <h1>{f.t('nav.settings')}</h1>
      {props.saved ? (
        <p class="ok" role="status" id="saved">
          {f.t('settings.saved')}
        </p>
      ) : null}
      <FormError error={props.error} />
      <section class="card">
        <h2>{f.t('settings.timeZone')}</h2>
        <p class="muted">{f.t('settings.timeZoneHelp')}</p>
        <form method="post" action="/app/settings" class="actions">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <label>
            {f.t('settings.timeZone')}
            <select name="timeZone" id="time-zone">
              {props.zones.map((z) => (
                <option value={z} selected={z === props.timeZone}>
                  {z}
                </option>
              ))}
            </select>
          </label>
          <button class="primary" type="submit">
            {f.t('action.save')}
          </button>
        </form>
        <p class="muted small">
          {f.t('settings.example', { now: f.dateTime(new Date().toISOString()) })}
        </p>
      </section>
      <section class="card">
        <h2>{f.t('shell.language')}</h2>
        <p class="muted">{f.t('settings.languageHelp')}</p>
      </section>
    </>
  )
}
