// Password hashing: node:crypto scrypt with a per-user random salt; the parameters are stored
// with the hash (`scrypt$N$r$p$salt$hash`) so they can be raised later without breaking sign-in.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const PARAMS = { N: 16_384, r: 8, p: 1 }
const KEY_LENGTH = 32
const MAX_PASSWORD = 1024
export const MIN_PASSWORD = 10

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { ...opts, maxmem: 64 * 1024 * 1024 },
      (e, k) => (e ? reject(e) : resolve(k)),
    ),
  )
}

/**
 * A storable hash of a password.
 *
 * @example
 * const stored = await hashPassword('correct horse battery')
 * await verifyPassword('correct horse battery', stored) // true
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password.slice(0, MAX_PASSWORD), salt, PARAMS)
  const { N, r, p } = PARAMS
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** True when `password` matches `stored`; compared in constant time. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? '').split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N > 1 << 20) return false
  const expected = Buffer.from(parts[5]!, 'base64url')
  const key = await derive(password.slice(0, MAX_PASSWORD), Buffer.from(parts[4]!, 'base64url'), {
    N,
    r,
    p,
  })
  return expected.length === key.length && timingSafeEqual(expected, key)
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): 'short' | 'long' | null {
  if (password.length < MIN_PASSWORD) return 'short'
  if (password.length > MAX_PASSWORD) return 'long'
  return null
}

/** A hash to verify against when no user matched, so timing does not tell which e-mails exist. */
export const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
