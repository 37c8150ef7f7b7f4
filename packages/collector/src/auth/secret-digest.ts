// What a long-lived in-process map is keyed by when the real key is a secret (an API key, a write
// or secret key): a keyed digest, never the secret, so a heap dump or a debug print of the map
// shows nothing that would authenticate. The HMAC key is random per process and never leaves it,
// so a digest cannot be checked against guessed keys offline either. Synchronous on purpose: a
// cache lookup must not await (a few microseconds per call, docs/team.md § API keys).
import { createHmac, randomBytes } from 'node:crypto'

// Made on first use, not at import: Workers refuse random values in global scope
// (test/workerd.test.ts).
let processKey: Buffer | undefined

/** HMAC-SHA-256 of `secret` under this process's random key, base64url (43 characters). */
export function secretDigest(secret: string): string {
  processKey ??= randomBytes(32)
  return createHmac('sha256', processKey).update(secret).digest('base64url')
}
