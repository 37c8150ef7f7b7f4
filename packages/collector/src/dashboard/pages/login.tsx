/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { t, type Locale } from '../i18n/index.js'
import { Layout, LanguageSwitch } from '../views/layout.js'

/** Sign-in with the workspace secret key, posted in the body (never in the URL). */
export function LoginPage(props: {
  locale: Locale
  nonce: string
  challenge: string
  next: string
  error?: string
}) {
  const l = props.locale
  return (
    <Layout title={t(l, 'login.title')} locale={l} nonce={props.nonce}>
      <div class="login card">
        <LanguageSwitch locale={l} path={`/app/login?next=${encodeURIComponent(props.next)}`} />
        <h1>Lodestone</h1>
        <p class="muted">{t(l, 'login.intro')}</p>
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/app/login">
          <input type="hidden" name="_login" value={props.challenge} />
          <input type="hidden" name="next" value={props.next} />
          <label>
            {t(l, 'login.key')}
            <input
              type="password"
              name="key"
              autocomplete="current-password"
              required
              autofocus
              placeholder="sk_…"
            />
          </label>
          <p>
            <button class="primary" type="submit">
              {t(l, 'login.submit')}
            </button>
          </p>
        </form>
        <p class="muted small">{t(l, 'login.help')}</p>
      </div>
    </Layout>
  )
}
