/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Layout } from '../views/layout.js'

/** Sign-in with the workspace secret key, posted in the body (never in the URL). */
export function LoginPage(props: {
  nonce: string
  challenge: string
  next: string
  error?: string
}) {
  return (
    <Layout title="Sign in" nonce={props.nonce}>
      <div class="login card">
        <h1>Lodestone</h1>
        <p class="muted">Sign in with your workspace secret key (sk_…).</p>
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/app/login">
          <input type="hidden" name="_login" value={props.challenge} />
          <input type="hidden" name="next" value={props.next} />
          <label>
            Secret key
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
              Sign in
            </button>
          </p>
        </form>
      </div>
    </Layout>
  )
}
