/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Layout } from '../views/layout.js'
import { t, type Locale } from '../i18n/index.js'

/** Sign-in with e-mail and password, posted in the body (never in the URL). */
export function LoginPage(props: {
  nonce: string
  locale: Locale
  challenge: string
  next: string
  email?: string
  error?: string
  oidc?: boolean
}) {
  const l = props.locale
  return (
    <Layout title={t(l, 'team.login.title')} nonce={props.nonce}>
      <div class="login card">
        <h1>Lodestone</h1>
        <p class="muted">{t(l, 'team.login.intro')}</p>
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/app/login">
          <input type="hidden" name="_login" value={props.challenge} />
          <input type="hidden" name="next" value={props.next} />
          <label>
            {t(l, 'team.login.email')}
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
            {t(l, 'team.login.password')}
            <input type="password" name="password" autocomplete="current-password" required />
          </label>
          <p>
            <button class="primary" type="submit">
              {t(l, 'team.login.submit')}
            </button>
          </p>
        </form>
        {props.oidc ? (
          <p>
            <a href={`/app/oidc/start?next=${encodeURIComponent(props.next)}`}>
              {t(l, 'team.login.oidc')}
            </a>
          </p>
        ) : null}
      </div>
    </Layout>
  )
}

/** The invite or reset link's page: choose a password, then be signed in. */
export function InvitePage(props: {
  nonce: string
  locale: Locale
  challenge?: string
  action?: string
  email?: string
  error?: string
}) {
  const l = props.locale
  return (
    <Layout title={t(l, 'team.invite.title')} nonce={props.nonce}>
      <div class="login card">
        <h1>{t(l, 'team.invite.title')}</h1>
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        {props.action && props.email ? (
          <form method="post" action={props.action}>
            <p class="muted">{t(l, 'team.invite.intro', { email: props.email })}</p>
            <input type="hidden" name="_login" value={props.challenge ?? ''} />
            <label>
              {t(l, 'team.login.password')}
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
                {t(l, 'team.invite.submit')}
              </button>
            </p>
          </form>
        ) : null}
      </div>
    </Layout>
  )
}
