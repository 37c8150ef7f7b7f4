// Personal data shown to viewers (docs/team.md): e-mail addresses keep their first character and
// domain (`a•••@example.com`), phone numbers their last two digits. Applied to whatever a viewer's
// request answers (JSON, HTML pages, the live stream), so a new page or route is masked too.

// Linear: the local part is bounded and no two adjacent quantified classes share a character.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g
const E164 = /\+\d[\d -]{5,18}\d/g
const PHONE_KEY = /phone|mobile|^tel$/i

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at < 1) return '•••'
  return `${email[0]}•••${email.slice(at)}`
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  return `•••${digits.slice(-2)}`
}

/** Masks e-mail addresses and international phone numbers inside any text. */
export function maskText(text: string): string {
  return text.replace(EMAIL, maskEmail).replace(E164, maskPhone)
}

/** A deep copy of a JSON value with e-mails and phone numbers masked. */
export function maskJson(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return PHONE_KEY.test(key) ? maskPhone(value) : maskText(value)
  if (Array.isArray(value)) return value.map((v) => maskJson(v, key))
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>
    const out: Record<string, unknown> = {}
    // An identity `{ kind: 'phone', value }` is a phone number whatever its key.
    const phoneValue = o.kind === 'phone' || o.type === 'phone'
    for (const [k, v] of Object.entries(o))
      out[k] = maskJson(v, phoneValue && k === 'value' ? 'phone' : k)
    return out
  }
  return value
}

/** The same response with personal data masked in its body (JSON, HTML, text, event streams). */
export async function maskResponse(res: Response): Promise<Response> {
  const type = res.headers.get('content-type') ?? ''
  if (!res.body) return res
  const headers = new Headers(res.headers)
  headers.delete('content-length')
  headers.delete('etag')
  const init = { status: res.status, statusText: res.statusText, headers }
  if (type.includes('application/json')) {
    const text = await res.text()
    try {
      return new Response(JSON.stringify(maskJson(JSON.parse(text))), init)
    } catch {
      return new Response(maskText(text), init)
    }
  }
  if (type.includes('text/event-stream')) {
    const decoder = new TextDecoder()
    const encoder = new TextEncoder()
    const masked = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          controller.enqueue(encoder.encode(maskText(decoder.decode(chunk, { stream: true }))))
        },
      }),
    )
    return new Response(masked, init)
  }
  if (type.startsWith('text/')) return new Response(maskText(await res.text()), init)
  return res
}
