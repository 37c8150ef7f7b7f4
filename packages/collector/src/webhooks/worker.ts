import type { Delivery, WebhookOutbox } from './types.js'
import { signWebhook } from './sign.js'
import { checkDeliveryUrl, type LookupAll } from './url-guard.js'
import { chatRequest, isChatFormat } from './chat-formats.js'
import { createPoller } from '../background/poller.js'

export interface WebhookWorkerOptions {
  outbox: WebhookOutbox
  fetch?: typeof fetch
  /** How often to look for due deliveries (default 1,000 ms). */
  intervalMs?: number
  timeoutMs?: number
  /** Backoff base (default 10 s): retry n waits base × 2^(n-1), capped at an hour, with jitter. */
  baseDelaySeconds?: number
  log?: (message: string, detail?: Record<string, unknown>) => void
  /** Deliver to loopback, private and link-local addresses (default false: refused). */
  allowPrivate?: boolean
  /** Name resolution for the private-address check (default: node:dns). */
  lookup?: LookupAll
}

/** Exponential backoff with full jitter, as for the SDK's retries. */
export function retryDelaySeconds(attempt: number, base = 10): number {
  const cap = Math.min(3600, base * 2 ** Math.max(0, attempt - 1))
  return Math.max(1, Math.round(cap / 2 + (Math.random() * cap) / 2))
}

/**
 * Delivers the webhook outbox: POSTs each payload with an HMAC signature, retries failures
 * with backoff, records every attempt. Before each attempt the host is resolved and refused when
 * it points at a private or loopback address (unless `allowPrivate`), which catches DNS rebinding.
 *
 * @example
 * const worker = createWebhookWorker({ outbox: store })
 * worker.start()
 */
export function createWebhookWorker(opts: WebhookWorkerOptions) {
  const doFetch = opts.fetch ?? fetch

  /** A chat vendor answers 200 with an error code in the body (`code` or `errcode` ≠ 0). */
  async function vendorError(res: Response): Promise<string | null> {
    const text = (await res.text().catch(() => '')).slice(0, 4096)
    try {
      const body = JSON.parse(text) as Record<string, unknown>
      const code = body.code ?? body.errcode ?? body.StatusCode
      return typeof code === 'number' && code !== 0 ? `vendor error ${code}` : null
    } catch {
      return null
    }
  }

  async function sendChat(d: Delivery) {
    const refused = await checkDeliveryUrl(d.url, {
      allowPrivate: opts.allowPrivate,
      lookup: opts.lookup,
    })
    if (refused) return { status: null, error: `refused: ${refused}` }
    try {
      const req = await chatRequest(d.format as never, d.url, d.secret, d.payload, Date.now())
      const res = await doFetch(req.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Lodestone-Webhooks/1' },
        body: req.body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        redirect: 'manual',
      })
      const error = res.ok
        ? await vendorError(res)
        : (await res.body?.cancel().catch(() => {}), null)
      return { status: res.status, error }
    } catch (err) {
      const error = (err as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed'
      return { status: null, error }
    }
  }

  async function send(d: Delivery, body: string, signature: string) {
    const refused = await checkDeliveryUrl(d.url, {
      allowPrivate: opts.allowPrivate,
      lookup: opts.lookup,
    })
    if (refused) return { status: null, error: `refused: ${refused}` }
    try {
      const res = await doFetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Lodestone-Webhooks/1',
          'lodestone-signature': signature,
          'lodestone-event': d.eventType,
          'lodestone-delivery': d.id,
        },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        redirect: 'manual',
      })
      await res.body?.cancel().catch(() => {})
      return { status: res.status, error: null }
    } catch (err) {
      const error = (err as Error).name === 'TimeoutError' ? 'timeout' : 'connection failed'
      return { status: null, error }
    }
  }

  async function deliver(d: Delivery): Promise<void> {
    let sent: { status: number | null; error: string | null }
    if (d.format && isChatFormat(d.format)) sent = await sendChat(d)
    else {
      const body = JSON.stringify(d.payload)
      const signature = await signWebhook(d.secret, body, Math.floor(Date.now() / 1000))
      sent = await send(d, body, signature)
    }
    const status: number | null = sent.status
    let error: string | null = sent.error
    const ok = status !== null && status >= 200 && status < 300 && !error
    if (!ok && !error) error = `HTTP ${status}`
    await opts.outbox.finishDelivery(d.id, {
      ok,
      status,
      error,
      attempts: d.attempts,
      retryInSeconds: retryDelaySeconds(d.attempts, opts.baseDelaySeconds),
    })
  }

  /** Delivers what is due now; returns how many deliveries were attempted. */
  async function tick(): Promise<number> {
    const due = await opts.outbox.claimDeliveries(50)
    await Promise.all(
      due.map((d) =>
        deliver(d).catch((err) =>
          opts.log?.('webhook delivery failed', { id: d.id, error: String(err) }),
        ),
      ),
    )
    return due.length
  }

  const poller = createPoller(async () => (await tick()) > 0, {
    intervalMs: opts.intervalMs ?? 1000,
  })
  return { tick, start: poller.start, stop: poller.stop }
}
