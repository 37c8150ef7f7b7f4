// Dashboard sessions: a cookie holds `v1.<workspace>.<expires>.<nonce>.<mac>`, never the key.
// The MAC key is derived from the workspace's stored secret-key hash, so sessions survive
// restarts, work across collector processes, and all die if the secret key is replaced.
import { encodeBase64Url } from '../../base64url.js'
import { constantTimeEqual } from '../../keys.js'

export interface SessionClaims {
  workspaceId: string
  /** Epoch milliseconds. */
  expiresAt: number
  /** Random per sign-in: names the session for sign-out and derives its CSRF token. */
  nonce: string
}

const VERSION = 'v1'
const encoder = new TextEncoder()

async function mac(signingKey: string, purpose: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(signingKey),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const sig = await crypto.subtle.sign(
    'HMAC',
    key,
    encoder.encode(`lodestone.${purpose}|${message}`),
  )
  return encodeBase64Url(new Uint8Array(sig))
}

export function newNonce(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(18)))
}

/**
 * Signs a session token for the cookie.
 *
 * @example
 * const token = await signSession(signingKey, { workspaceId, expiresAt, nonce: newNonce() })
 */
export async function signSession(signingKey: string, claims: SessionClaims): Promise<string> {
  const body = `${VERSION}.${claims.workspaceId}.${claims.expiresAt}.${claims.nonce}`
  return `${body}.${await mac(signingKey, 'session', body)}`
}

/** The claims a token states, unverified: enough to find the workspace whose key checks it. */
export function readSession(token: string | undefined): SessionClaims | null {
  if (!token || token.length > 512) return null
  const [version, workspaceId, expires, nonce, sig, ...rest] = token.split('.')
  if (version !== VERSION || !workspaceId || !nonce || !sig || rest.length > 0) return null
  const expiresAt = Number(expires)
  if (!/^\d{1,16}$/.test(expires ?? '') || !Number.isSafeInteger(expiresAt)) return null
  return { workspaceId, expiresAt, nonce }
}

/** The claims when the token is genuine and unexpired; null otherwise. */
export async function verifySession(
  token: string | undefined,
  signingKey: string,
  nowMs: number,
): Promise<SessionClaims | null> {
  const claims = readSession(token)
  if (!claims || claims.expiresAt <= nowMs) return null
  const expected = await signSession(signingKey, claims)
  return constantTimeEqual(expected, token!) ? claims : null
}

/** The session's CSRF token: derived, so nothing is stored, and useless without the session. */
export function csrfToken(signingKey: string, nonce: string): Promise<string> {
  return mac(signingKey, 'csrf', nonce)
}
