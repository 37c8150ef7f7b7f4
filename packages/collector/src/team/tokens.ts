// Random tokens for sessions, invites and API keys, and how each is stored: invites and keys as
// SHA-256 (256 random bits need no slow hash), sessions as an HMAC under the session secret, so
// nothing read from the database, alone, lets anyone make or recognise a session (docs/team.md).
import { hashKey } from '../keys.js'
import { encodeBase64Url } from '../base64url.js'

const encoder = new TextEncoder()

/** 256 random bits, base64url. */
export function randomToken(bytes = 32): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** HMAC-SHA-256 of `purpose|message` under the secret, base64url. */
export async function hmac(secret: string, purpose: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
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

/** How a session token is stored. */
export const sessionTokenHash = (secret: string, token: string) => hmac(secret, 'session', token)

/** The CSRF token of a session: derived from its id, so nothing more is stored. */
export const sessionCsrf = (secret: string, sessionId: string) => hmac(secret, 'csrf', sessionId)

/** How invite and reset tokens are stored. */
export const inviteTokenHash = (token: string) => hashKey(`invite:${token}`)

export const API_KEY_PREFIX = 'lk_'

/** A new scoped API key: `lk_` and 256 random bits. */
export function newApiKey(): string {
  return API_KEY_PREFIX + randomToken()
}

export function isApiKey(key: string): boolean {
  return key.startsWith(API_KEY_PREFIX) && key.length <= 128
}
