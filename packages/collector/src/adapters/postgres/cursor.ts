import { CollectorError } from '../../errors.js'

/** Opaque keyset cursor: base64url of a JSON array of the last row's sort keys. */
export function encodeCursor(keys: unknown[]): string {
  return btoa(unescape(encodeURIComponent(JSON.stringify(keys))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

export function decodeCursor(cursor: string | undefined, arity: number): unknown[] | null {
  if (!cursor) return null
  try {
    const b64 = cursor.replace(/-/g, '+').replace(/_/g, '/')
    const keys = JSON.parse(decodeURIComponent(escape(atob(b64))))
    if (Array.isArray(keys) && keys.length === arity) return keys
  } catch {
    // fall through to the error below
  }
  throw new CollectorError('bad_request', 'Invalid cursor')
}
