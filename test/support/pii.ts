// Personal data and secrets that must never reach the collector's logs.
const PATTERNS: [string, RegExp][] = [
  ['email', /[\w.+-]+@[\w-]+\.[\w.-]+/g],
  ['email (encoded)', /[\w.+-]+%40[\w-]+\.[\w.-]+/gi],
  ['ipv4', /\b(?:\d{1,3}\.){3}\d{1,3}\b/g],
  ['ipv6', /\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/gi],
  ['write key', /\bwk_[\w-]{8,}/g],
  ['secret key', /\bsk_[\w-]{8,}/g],
]

/**
 * The personal data found in `text`: emails, IP addresses, keys, and any of `secrets`.
 * The collector's own listening address (`http://127.0.0.1:PORT`) is not a visitor's IP.
 */
export function findPii(text: string, secrets: string[] = []): string[] {
  const scrubbed = text.replace(/https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?/g, '<self>')
  const found: string[] = []
  for (const [kind, re] of PATTERNS)
    for (const m of scrubbed.matchAll(re)) found.push(`${kind}: ${m[0]}`)
  for (const s of secrets) if (s && scrubbed.includes(s)) found.push(`secret: ${s.slice(0, 6)}…`)
  return found
}
