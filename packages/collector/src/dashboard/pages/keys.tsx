/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { t, type Locale } from '../i18n/index.js'
import { SCOPES, type ApiKeyInfo } from '../../team/port.js'
import { FormError } from '../views/form-error.js'
import type { Fmt } from '../views/intl.js'
import { When } from '../views/when.js'

/** API keys: list, create (shown once), rotate, revoke. */
export function KeysBody(props: {
  locale: Locale
  /** Times in the workspace's time zone, in the reader's language. */
  fmt: Fmt
  csrf: string
  keys: ApiKeyInfo[]
  created?: { key: string; rotated: boolean }
  error?: string
}) {
  const l = props.locale
  const csrf = <input type="hidden" name="_csrf" value={props.csrf} />
  return (
    <>
      <h1>{t(l, 'team.keys.title')}</h1>
      <p class="muted">{t(l, 'team.keys.intro')}</p>
      <FormError error={props.error} />
      {props.created ? (
        <div class="card ok" role="status" id="new-key">
          <p>{t(l, 'team.keys.once')}</p>
          <pre>{props.created.key}</pre>
          {props.created.rotated ? <p>{t(l, 'team.keys.rotated')}</p> : null}
        </div>
      ) : null}
      <div class="card">
        {props.keys.length === 0 ? (
          <p class="muted">{t(l, 'team.keys.none')}</p>
        ) : (
          <table id="keys">
            <thead>
              <tr>
                <th>{t(l, 'team.keys.name')}</th>
                <th>{t(l, 'team.keys.prefix')}</th>
                <th>{t(l, 'team.keys.scopes')}</th>
                <th>{t(l, 'team.keys.created')}</th>
                <th>{t(l, 'team.keys.lastUsed')}</th>
                <th>{t(l, 'team.keys.expires')}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {props.keys.map((k) => (
                <tr data-key={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code>{`${k.prefix}…`}</code>
                  </td>
                  <td>{k.scopes.join(', ')}</td>
                  <td class="nowrap">
                    <When f={props.fmt} at={k.createdAt} />
                  </td>
                  <td>{k.lastUsedAt ?? t(l, 'team.never')}</td>
                  <td>{k.expiresAt ?? '–'}</td>
                  <td>
                    <form method="post" action={`/app/keys/${k.id}/rotate`}>
                      {csrf}
                      <button type="submit">{t(l, 'team.keys.rotate')}</button>
                    </form>
                    <form method="post" action={`/app/keys/${k.id}/revoke`}>
                      {csrf}
                      <button type="submit">{t(l, 'team.keys.revoke')}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <form class="card filters" method="post" action="/app/keys" id="create-key">
        {csrf}
        <label>
          {t(l, 'team.keys.name')}
          <input name="name" required maxlength={100} />
        </label>
        {SCOPES.map((s) => (
          <label>
            <span>
              <input type="checkbox" name="scopes" value={s} /> {t(l, `team.keys.scope.${s}`)}
            </span>
          </label>
        ))}
        <button class="primary" type="submit">
          {t(l, 'team.keys.create')}
        </button>
      </form>
    </>
  )
}
