/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { t, type Locale } from '../i18n/index.js'
import { Layout, LanguageSwitch } from '../views/layout.js'
import { FormError } from '../views/form-error.js'

/** Sign-in with e-mail and password, posted in the body (never in the URL). */
export function LoginPage(props: {
  locale: Locale
  /** The language chosen on this browser; null when it follows Accept-Language. */
  chosen: Locale | null
  nonce: string
  challenge: string
  next: string
  email?: string
  error?: string
  /** OpenID Connect is configured: offer the company sign-in. */
  oidc?: boolean
}) {
  const l = props.locale
  return (
    <Layout title={t(l, 'login.title')} locale={l} nonce={props.nonce}>
      <div class="login card">
        <LanguageSwitch
          locale={l}
          chosen={props.chosen}
          path={`/app/login?next=${encodeURIComponent(props.next)}`}
        />
        <h1>Lodestone</h1>
        <p class="muted">{t(l, 'login.intro')}</p>
        <FormError error={props.error} />
        <form method="post" action="/app/login">
          <input type="hidden" name="_login" value={props.challenge} />
          <input type="hidden" name="next" value={props.next} />
          <label>
            {t(l, 'login.email')}
            <input
              type="email"
              name="email"
              autocomplete="username"
              required
              autofocus
              value={props.email ?? ''}
            />
          </label>
          <label>
            {t(l, 'login.password')}
            <input type="password" name="password" autocomplete="current-password" required />
          </label>
          <p>
            <button class="primary" type="submit">
              {t(l, 'login.submit')}
            </button>
          </p>
        </form>
        {props.oidc ? (
          <p>
            <a id="oidc" href={`/app/oidc/start?next=${encodeURIComponent(props.next)}`}>
              {t(l, 'login.oidc')}
            </a>
          </p>
        ) : null}
        <p class="muted small">{t(l, 'login.help')}</p>
      </div>
    </Layout>
  )
}

/** The invite or reset link's page: choose a password, then be signed in. */
export function InvitePage(props: {
  locale: Locale
  nonce: string
  challenge?: string
  action?: string
  email?: string
  error?: string
}) {
  const l = props.locale
  return (
    <Layout title={t(l, 'login.invite.title')} locale={l} nonce={props.nonce}>
      <div class="login card">
        <h1>{t(l, 'login.invite.title')}</h1>
        <FormError error={props.error} />
        {props.action && props.email ? (
          <form method="post" action={props.action}>
            <p class="muted">{t(l, 'login.invite.intro', { email: props.email })}</p>
            <input type="hidden" name="_login" value={props.challenge ?? ''} />
            <label>
              {t(l, 'login.password')}
              <input
                type="password"
                name="password"
                autocomplete="new-password"
                required
                minlength={10}
                autofocus
              />
            </label>
            <p>
              <button class="primary" type="submit">
                {t(l, 'login.invite.submit')}
              </button>
            </p>
          </form>
        ) : null}
      </div>
    </Layout>
  )
}
