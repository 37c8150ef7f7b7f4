// Keys are random 192-bit tokens. Only their SHA-256 digests are stored: with that much
// entropy a fast hash is enough (as for GitHub tokens), and lookups stay one indexed read.

import { encodeBase64Url } from './base64url.js'

const WRITE_PREFIX = 'wk_'
const SECRET_PREFIX = 'sk_'

function randomToken(bytes = 24): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(bytes)))
}

export function newWriteKey(): string {
  return WRITE_PREFIX + randomToken()
}

export function newSecretKey(): string {
  return SECRET_PREFIX + randomToken()
}

export function isWriteKey(key: string): boolean {
  return key.startsWith(WRITE_PREFIX) && key.length <= 128
}

export function isSecretKey(key: string): boolean {
  return key.startsWith(SECRET_PREFIX) && key.length <= 128
}

/** Hex SHA-256 of a key, as stored. */
export async function hashKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Compares two strings in time that depends only on their length. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
