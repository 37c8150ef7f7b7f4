/**
 * Chat destinations for the webhook outbox: the same deliveries, posted in the incoming-webhook
 * format of Slack, Feishu/Lark, DingTalk or WeCom instead of Lodestone's signed JSON. Payload
 * shapes and signing follow each vendor's public documentation (docs/lifecycle.md, "Chat
 * destinations"):
 *
 * - Slack incoming webhook: `{ "text": …, "blocks": [{ "type": "section", "text": { "type":
 *   "mrkdwn", "text": … } }] }`; no signature (the URL is the secret).
 * - Feishu/Lark custom bot: `{ "timestamp": "<unix s>", "sign": …, "msg_type": "text",
 *   "content": { "text": … } }`; with signature verification on, `sign` is
 *   base64(HMAC-SHA256 keyed with "<timestamp>\n<secret>" over empty data).
 * - DingTalk custom robot: `{ "msgtype": "markdown", "markdown": { "title", "text" } }`; with
 *   "加签" on, `timestamp` (ms) and `sign` = urlencode(base64(HMAC-SHA256 keyed with the secret
 *   over "<timestamp>\n<secret>")) are added to the URL's query.
 * - WeCom group robot: `{ "msgtype": "markdown", "markdown": { "content": … } }` (at most 4,096
 *   bytes); no signature (the `key` in the URL is the secret).
 */
export const WEBHOOK_FORMATS = ['lodestone', 'slack', 'feishu', 'dingtalk', 'wecom'] as const
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number]
export type ChatFormat = Exclude<WebhookFormat, 'lodestone'>

export const isChatFormat = (f: string): f is ChatFormat =>
  (WEBHOOK_FORMATS as readonly string[]).includes(f) && f !== 'lodestone'

async function hmacBase64(key: string, data: string): Promise<string> {
  const k = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(data)))
  let bin = ''
  for (const b of mac) bin += String.fromCharCode(b)
  return btoa(bin)
}

/** Feishu/Lark: base64(HMAC-SHA256 with key "timestamp\nsecret" over empty data). */
export const feishuSign = (timestampSeconds: number, secret: string) =>
  hmacBase64(`${timestampSeconds}\n${secret}`, '')

/** DingTalk: base64(HMAC-SHA256 with key secret over "timestamp\nsecret"), before URL-encoding. */
export const dingtalkSign = (timestampMs: number, secret: string) =>
  hmacBase64(secret, `${timestampMs}\n${secret}`)

/** A one-line title and a few detail lines for a delivery's payload. */
export function chatMessage(payload: Record<string, unknown>): { title: string; lines: string[] } {
  const data = (payload.data ?? {}) as Record<string, unknown>
  const str = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : JSON.stringify(v))
  if (payload.type === 'alert.fired') {
    const title = `Lodestone alert: ${str(data.name) || str(data.ruleId)}`
    const lines = [str(data.message)]
    if (payload.contactId) lines.push(`Contact: ${str(payload.contactId)}`)
    lines.push(`Rule: ${str(data.ruleId)} (${str(data.kind)}) at ${str(payload.at)}`)
    return { title, lines: lines.filter(Boolean) }
  }
  return {
    title: `Lodestone: ${str(payload.type)}`,
    lines: [payload.contactId ? `Contact: ${str(payload.contactId)}` : '', str(payload.at)].filter(
      Boolean,
    ),
  }
}

/** Cuts text to at most `max` UTF-8 bytes on a character boundary. */
function clipBytes(s: string, max: number): string {
  const bytes = new TextEncoder().encode(s)
  if (bytes.length <= max) return s
  let out = ''
  let size = 0
  for (const ch of s) {
    const n = new TextEncoder().encode(ch).length
    if (size + n > max - 3) break
    out += ch
    size += n
  }
  return `${out}…`
}

/** The request a chat destination receives for one delivery. */
export async function chatRequest(
  format: ChatFormat,
  url: string,
  secret: string,
  payload: Record<string, unknown>,
  nowMs: number,
): Promise<{ url: string; body: string }> {
  const { title, lines } = chatMessage(payload)
  switch (format) {
    case 'slack': {
      const text = `*${title}*\n${lines.join('\n')}`
      return {
        url,
        body: JSON.stringify({
          text: `${title}: ${lines.join(' · ')}`,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clipBytes(text, 3000) } }],
        }),
      }
    }
    case 'feishu': {
      const content = { text: `${title}\n${lines.join('\n')}` }
      if (!secret) return { url, body: JSON.stringify({ msg_type: 'text', content }) }
      const timestamp = Math.floor(nowMs / 1000)
      const sign = await feishuSign(timestamp, secret)
      return {
        url,
        body: JSON.stringify({ timestamp: String(timestamp), sign, msg_type: 'text', content }),
      }
    }
    case 'dingtalk': {
      const body = JSON.stringify({
        msgtype: 'markdown',
        markdown: { title, text: `### ${title}\n\n${lines.map((l) => `- ${l}`).join('\n')}` },
      })
      if (!secret) return { url, body }
      const signed = new URL(url)
      signed.searchParams.set('timestamp', String(nowMs))
      signed.searchParams.set('sign', await dingtalkSign(nowMs, secret))
      return { url: signed.toString(), body }
    }
    case 'wecom':
      return {
        url,
        body: JSON.stringify({
          msgtype: 'markdown',
          markdown: { content: clipBytes(`**${title}**\n${lines.join('\n')}`, 4096) },
        }),
      }
  }
}
