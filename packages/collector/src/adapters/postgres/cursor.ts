import { CollectorError } from '../../errors.js'

/** Opaque keyset cursor: base64url of a JSON array of the last row's sort keys. */
export function encodeCursor(keys: unknown[]): string {
  return btoa(unescape(encodeURIComponent(JSON.stringify(keys))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

/** True for a string a timestamp parameter can carry (postgres.js throws on an invalid date). */
export const isDateKey = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v))

export function decodeCursor(
  cursor: string | undefined,
  arity: number,
  valid: (keys: unknown[]) => boolean = () => true,
): unknown[] | null {
  if (!cursor) return null
  try {
    const b64 = cursor.replace(/-/g, '+').replace(/_/g, '/')
    const keys = JSON.parse(decodeURIComponent(escape(atob(b64))))
    if (Array.isArray(keys) && keys.length === arity && valid(keys)) return keys
  } catch {
    // fall through to the error below
  }
  throw new CollectorError('bad_request', 'Invalid cursor')
}
