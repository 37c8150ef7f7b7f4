/**
 * Signs a webhook body: `Lodestone-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
 * Receivers recompute it with their secret and reject old timestamps (replay protection).
 *
 * @example
 * const header = await signWebhook(secret, body, Math.floor(Date.now() / 1000))
 */
export async function signWebhook(
  secret: string,
  body: string,
  timestamp: number,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign(
    'HMAC',
    key,
    new TextEncoder().encode(`${timestamp}.${body}`),
  )
  const hex = Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('')
  return `t=${timestamp},v1=${hex}`
}

/** Verifies a signature header in constant time; `toleranceSeconds` bounds replay. */
export async function verifyWebhook(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  const parts = Object.fromEntries(
    header.split(',').map((p) => p.split('=', 2) as [string, string]),
  )
  const t = Number(parts.t)
  if (!Number.isFinite(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false
  const expected = (await signWebhook(secret, body, t)).split('v1=')[1]!
  if (expected.length !== parts.v1.length) return false
  let diff = 0
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ parts.v1.charCodeAt(i)
  return diff === 0
}
