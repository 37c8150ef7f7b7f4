import { parseRetryAfter } from '../core/backoff.js'
import type { Send, SendResult } from '../core/ports.js'

export interface TransportOptions {
  host: string
  writeKey: string
  fetch?: typeof fetch
  sendBeacon?: (url: string, data: string) => boolean
}

// Browsers cap the bodies of all keepalive requests in flight (and beacons) at 64 KiB.
const KEEPALIVE_BUDGET = 64_000

/**
 * `POST {host}/v1/batch`. Normal sends: JSON with Basic auth, `keepalive` while under the
 * 64 KB budget so a reload mid-request loses nothing. Unload sends (`beacon`): `text/plain`
 * with the write key in the body and no custom header — a CORS-simple request, because a
 * preflight cannot complete once the page is gone — by fetch keepalive, else sendBeacon.
 *
 * @example
 * const send = createTransport({ host: 'https://c.example.com', writeKey: 'wk_1', fetch })
 * await send(events, false) // { ok: true }
 */
export const createTransport = (o: TransportOptions): Send => {
  const url = o.host.replace(/\/+$/, '') + '/v1/batch'
  let inflight = 0
  let auth = ''
  try {
    auth = 'Basic ' + btoa(o.writeKey + ':')
  } catch {
    // a non-Latin-1 key cannot be a header; the body still carries it
  }

  return async (batch, beacon) => {
    const body = JSON.stringify({ batch, sentAt: new Date().toISOString(), writeKey: o.writeKey })
    const size = new Blob([body]).size
    const keepalive = inflight + size <= KEEPALIVE_BUDGET
    if (beacon && (!keepalive || !o.fetch))
      return o.sendBeacon?.(url, body) ? { ok: true } : { ok: false, retry: true }
    if (!o.fetch) return { ok: false, retry: true }
    const headers: Record<string, string> = beacon
      ? { 'Content-Type': 'text/plain' }
      : { 'Content-Type': 'application/json', Authorization: auth }
    if (keepalive) inflight += size
    try {
      return classify(await o.fetch(url, { method: 'POST', body, keepalive, headers }))
    } catch {
      return { ok: false, retry: true }
    } finally {
      if (keepalive) inflight -= size
    }
  }
}

/** Retry on 5xx, 408 and 429 (after Retry-After when given); any other 4xx is final. */
const classify = (res: Response): SendResult => {
  const s = res.status
  if (res.ok) return { ok: true }
  const retry = s >= 500 || s === 408 || s === 429 || s === 0
  const retryAfterMs = retry
    ? parseRetryAfter(res.headers.get('Retry-After'), Date.now())
    : undefined
  return { ok: false, retry, retryAfterMs, status: s }
}
