/**
 * A UUID v4. `crypto.randomUUID` exists only in secure contexts, so plain-http pages build one
 * from `getRandomValues` (present in every engine that runs this ES2020 bundle).
 *
 * @example
 * const messageId = uuid()
 */
export const uuid = (): string => {
  const c = crypto
  if (c.randomUUID) return c.randomUUID()
  const b = c.getRandomValues(new Uint8Array(16))
  b[6] = (b[6]! & 15) | 64 // version 4
  b[8] = (b[8]! & 63) | 128 // RFC 4122 variant
  return Array.from(b, (x) => (x + 256).toString(16).slice(1))
    .join('')
    .replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')
}
