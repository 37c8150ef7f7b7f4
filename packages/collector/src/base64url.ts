// The one base64url codec (RFC 4648 §5, no padding) for keys, session tokens and cursors.
// btoa/atob rather than Node's Buffer: the core also runs on Workers.

/** Bytes → base64url without padding. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** base64url (padding optional) → bytes; throws on characters outside the alphabet. */
export function decodeBase64Url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}
