// OpenID Connect sign-in (docs/team.md), through openid-client: discovery, the authorization
// code flow with PKCE, state and nonce, ID token checks, and the user info e-mail.
import * as client from 'openid-client'
import type { Role } from './port.js'

export interface OidcConfig {
  /** The issuer URL (e.g. https://accounts.google.com); http is allowed only on loopback. */
  issuer: string
  clientId: string
  clientSecret: string
  /** Only e-mail addresses of this domain may sign in or be created (e.g. `example.com`). */
  allowedDomain: string
  /** The role of a person the first time they sign in this way (default `viewer`). */
  defaultRole?: Role
  /** The workspace such people join; default: the oldest workspace. */
  workspaceId?: string
}

export interface OidcFlow {
  /** Where to send the browser, and what the callback must find in the signed state cookie. */
  start(redirectUri: string): Promise<{ url: string; state: OidcState }>
  /** The verified e-mail of the person the provider sent back, or null when not verified. */
  finish(callbackUrl: URL, state: OidcState): Promise<{ email: string; subject: string } | null>
}

export interface OidcState {
  verifier: string
  state: string
  nonce: string
  redirectUri: string
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/

export function createOidcFlow(cfg: OidcConfig): OidcFlow {
  let config: Promise<client.Configuration> | null = null
  const discover = () => {
    config ??= client
      .discovery(new URL(cfg.issuer), cfg.clientId, cfg.clientSecret, undefined, {
        execute: LOOPBACK.test(cfg.issuer) ? [client.allowInsecureRequests] : [],
      })
      .catch((err) => {
        config = null // try again on the next sign-in
        throw err
      })
    return config
  }
  return {
    async start(redirectUri) {
      const c = await discover()
      const state: OidcState = {
        verifier: client.randomPKCECodeVerifier(),
        state: client.randomState(),
        nonce: client.randomNonce(),
        redirectUri,
      }
      const url = client.buildAuthorizationUrl(c, {
        redirect_uri: redirectUri,
        scope: 'openid email',
        code_challenge: await client.calculatePKCECodeChallenge(state.verifier),
        code_challenge_method: 'S256',
        state: state.state,
        nonce: state.nonce,
      })
      return { url: url.href, state }
    },
    async finish(callbackUrl, state) {
      const c = await discover()
      const tokens = await client.authorizationCodeGrant(c, callbackUrl, {
        pkceCodeVerifier: state.verifier,
        expectedState: state.state,
        expectedNonce: state.nonce,
        idTokenExpected: true,
      })
      const subject = tokens.claims()!.sub
      const info = await client.fetchUserInfo(c, tokens.access_token, subject)
      const email = typeof info.email === 'string' ? info.email.toLowerCase() : ''
      if (!email || info.email_verified === false) return null
      if (email.split('@')[1] !== cfg.allowedDomain.toLowerCase()) return null
      return { email, subject }
    },
  }
}
