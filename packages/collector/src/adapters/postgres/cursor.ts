import { decodeBase64Url, encodeBase64Url } from '../../base64url.js'
import { CollectorError } from '../../errors.js'

/** Opaque keyset cursor: base64url of a JSON array of the last row's sort keys. */
export function encodeCursor(keys: unknown[]): string {
  return encodeBase64Url(new TextEncoder().encode(JSON.stringify(keys)))
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
    const json = new TextDecoder('utf-8', { fatal: true }).decode(decodeBase64Url(cursor))
    const keys = JSON.parse(json)
    if (Array.isArray(keys) && keys.length === arity && valid(keys)) return keys
  } catch {
    // fall through to the error below
  }
  throw new CollectorError('bad_request', 'Invalid cursor')
}

/**
 * A keyset page from `limit + 1` rows: the first `limit`, and the cursor after the last of them
 * when the extra row shows there is more.
 */
export function keysetPage<R>(rows: readonly R[], limit: number, cursorOf: (last: R) => string) {
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return { page, next: rows.length > limit && last !== undefined ? cursorOf(last) : null }
}
