// What a long-lived in-process map is keyed by when the real key is a secret (an API key, a write
// or secret key): a keyed digest, never the secret, so a heap dump or a debug print of the map
// shows nothing that would authenticate. The key is random per process and never leaves it, so a
// digest cannot be checked against guessed keys offline either. Synchronous on purpose: a cache
// lookup must not await (docs/team.md § API keys).
import * as crypto from 'node:crypto'

// Made on first use, not at import: Workers refuse random values in global scope
// (test/workerd.test.ts).
let processKey: string | undefined

// Node's one-shot `crypto.hash` (20.12+): SHA-256 of the process's random key followed by the
// secret, about 1.5 µs a call against 6.5 µs for `createHmac` (an object per call), paid on
// every authenticated request. Only a cache key: no one outside the process knows the prefix,
// so no digest can be forged or checked, which is all an HMAC would add here. Runtimes without
// it (Workers) use the HMAC.
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'base64url') => string }).hash

/** A keyed SHA-256 digest of `secret` under this process's random key, base64url (43 chars). */
export function secretDigest(secret: string): string {
  processKey ??= crypto.randomBytes(32).toString('base64url')
  return oneShot
    ? oneShot('sha256', processKey + secret, 'base64url')
    : crypto.createHmac('sha256', processKey).update(secret).digest('base64url')
}
