import type { PluginContext } from '../../core/plugin'
import { TEARDOWNS } from '../../core/teardowns.js'
import { safe } from '../shared/listen'

/** Contact details a chat reports; anything that is not a non-empty string is ignored. */
export interface ChatContact {
  email?: unknown
  name?: unknown
  phone?: unknown
  /**
   * The vendor's own visitor id: a property and a `context.externalIds` entry, never a trait.
   */
  visitorId?: unknown
}

/**
 * Turns what a chat widget reports into Lodestone's three chat events: `kind` 0 a conversation
 * started, 1 a message sent (`detail` its text), 2 contact details (`detail` a ChatContact).
 * Never throws, so the adapters hand vendors plain callbacks (a malformed payload reads as
 * missing fields).
 */
export interface ChatRecorder {
  (kind: 0 | 1 | 2, provider: string, conversationId?: unknown, detail?: unknown): void
  /**
   * After this, the recorder ignores everything (vendor callbacks cannot all be removed).
   * Absent where removers are compiled out (see TEARDOWNS).
   */
  stop?(): void
}

const text = (value: unknown, max: number) =>
  typeof value === 'string' || typeof value === 'number' ? String(value).trim().slice(0, max) : ''

// Contact fields a chat may report, with the longest value kept (the visitor id last: it is a
// property, never a trait).
const CONTACT_FIELDS = [
  ['email', 254],
  ['name', 100],
  ['phone', 40],
  ['visitorId', 128],
] as const

const recorders = new WeakMap<PluginContext, ChatRecorder>()

/**
 * The recorder for a context (one per context, so message counts and the once-per-conversation
 * `Chat Started` hold across adapters and manual captures). Message text is sent only when the
 * SDK was loaded with `captureChatText: true`.
 *
 * @example
 * const record = chatRecorder(ctx)
 * record(0, 'crisp', 'session_1') // Chat Started
 */
export const chatRecorder = (ctx: PluginContext): ChatRecorder => {
  const existing = recorders.get(ctx)
  if (existing) return existing
  // How often each kind of event happened per conversation (this time included).
  const counts: Record<string, number> = {}
  let lastContact = ''
  let on = true
  const record: ChatRecorder = (kind, provider, conversationId, detail) => {
    if (!on) return
    const id = text(conversationId, 128)
    const base: Record<string, unknown> = id ? { provider, conversationId: id } : { provider }
    const key = kind + JSON.stringify(base)
    const count = (counts[key] = (counts[key] || 0) + 1)
    if (!kind) {
      if (count < 2) ctx.track('Chat Started', base)
    } else if (kind < 2) {
      const captured = ctx.options.captureChatText === true ? text(detail, 1000) : ''
      ctx.track('Chat Message Sent', {
        ...base,
        messageCount: count,
        ...(captured && { text: captured }),
      })
    } else {
      const found: Record<string, string> = {}
      for (const [field, max] of CONTACT_FIELDS) {
        const value = text((detail as ChatContact | null)?.[field], max)
        if (value && (field !== 'email' || value.includes('@'))) found[field] = value
      }
      const { visitorId, ...traits } = found
      const props = { ...base, ...found }
      const json = JSON.stringify(props)
      if (json === lastContact) return
      lastContact = json
      if (Object.keys(traits).length) ctx.identify(undefined, traits)
      // The vendor's visitor id goes in Segment's `context.externalIds` too, so the collector
      // files it as an identity of the contact (kind `external:<provider>_visitor_id`).
      const type = provider + '_visitor_id'
      ctx.track(
        'Chat Contact Captured',
        props,
        visitorId
          ? { context: { externalIds: [{ id: visitorId, type, collection: 'users' }] } }
          : {},
      )
    }
  }
  if (TEARDOWNS)
    record.stop = () => {
      on = false
      recorders.delete(ctx)
    }
  recorders.set(ctx, record)
  return record
}

/** What `captureChat` accepts: say who the chat is with and what happened. */
export interface ChatCaptureInput extends ChatContact {
  provider: string
  conversationId?: string | number
  /** A message the visitor sent (counted; its text is kept only with `captureChatText`). */
  message?: string
  /** Marks the conversation as started (implied when nothing else is given). */
  started?: boolean
  /**
   * Reports a contact capture even without email, name or phone (the widget said the visitor
   * gave details but did not hand them to the page).
   */
  contact?: boolean
}

/**
 * Manual capture for any chat widget Lodestone has no adapter for: call it from the widget's
 * own callbacks. Emits `Chat Started` (once per conversation), `Chat Message Sent` when a
 * message is given, and `Chat Contact Captured` plus `identify` when email, name or phone is.
 *
 * @example
 * captureChat(ctx, { provider: 'acme-chat', conversationId: 'c_42', email: 'ada@example.com' })
 */
export const captureChat: (ctx: PluginContext, input: ChatCaptureInput) => void = safe(
  (ctx: PluginContext, input: ChatCaptureInput) => {
    const record = chatRecorder(ctx)
    const { provider, conversationId: id, message } = input
    const hasContact = input.contact || input.email || input.name || input.phone
    if (input.started || (message == null && !hasContact)) record(0, provider, id)
    if (message != null) record(1, provider, id, message)
    if (hasContact) record(2, provider, id, input)
  },
)
