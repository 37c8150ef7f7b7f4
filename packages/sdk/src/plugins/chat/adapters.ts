// The chat vendors as data: how to subscribe to each one's documented browser API (the doc
// pages are cited in chat/adapters.test.ts) and what each of its events reports. One routine,
// `hookVendor`, wires any of them to the recorder, so a vendor costs its names and little more.
import { traitFor } from '../shared/field-key'
import { safe } from '../shared/listen'
import type { ChatRecorder } from './recorder'

// Vendor globals are untyped by nature; every access below is guarded.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Vendor = any
type On = (event: string, fn: (payload: Vendor) => void) => unknown

/** What a vendor event reports: 0 a chat started, 1 a message sent, 2 contact details. */
type Emit = (kind: 0 | 1 | 2, detail?: unknown) => void

/**
 * A vendor: its provider name; how to subscribe, given the page's window (falsy while the
 * vendor is not on the page, so the chat plugin tries again later); a handler per event, called
 * with the payload, the emitter, the event's conversation id and the window; and where the
 * conversation id is (read from the window and the payload of each event; none if absent).
 */
export type VendorSpec = [
  provider: string,
  subscribe: (w: Vendor) => On | false | undefined,
  events: Record<string, (payload: Vendor, emit: Emit, id: unknown, w: Vendor) => unknown>,
  id?: (w: Vendor, payload: Vendor) => unknown,
]

// Drift, HubSpot and LiveChat share the `api.on(event, fn)` shape.
const onOf = (api: Vendor): On | false => typeof api?.on === 'function' && ((e, f) => api.on(e, f))

export const VENDORS: VendorSpec[] = [
  [
    'intercom',
    // Intercom reports the Messenger opening and an email being given, not the email itself.
    (w) => typeof w.Intercom === 'function' && ((e, f) => w.Intercom(e, f)),
    {
      onShow: (_, emit) => emit(0),
      onUserEmailSupplied: (_, emit, __, w) =>
        emit(2, { visitorId: safe(() => w.Intercom('getVisitorId'))() }),
    },
  ],
  [
    'crisp',
    // Queue-based, safe before the chatbox loads (which replaces the snippet's array).
    (w) => typeof w.$crisp?.push === 'function' && ((e, f) => w.$crisp.push(['on', e, f])),
    {
      'chat:initiated': (_, emit) => emit(0),
      'message:sent': (message, emit) => emit(1, message?.content),
      // Crisp's session identifier stands for the visitor in Crisp: it is the visitor id.
      'user:email:changed': (email, emit, id) => emit(2, { email, visitorId: id }),
      'user:nickname:changed': (name, emit, id) => emit(2, { name, visitorId: id }),
      'user:phone:changed': (phone, emit, id) => emit(2, { phone, visitorId: id }),
    },
    (w) => w.$crisp.get('session:identifier'),
  ],
  [
    'drift',
    (w) => onOf(w.drift),
    {
      startConversation: (_, emit) => emit(0),
      'message:sent': (_, emit) => emit(1),
      emailCapture: (e, emit) => emit(2, { email: e?.data?.email }),
    },
    (_, e) => e?.conversationId ?? e?.data?.conversationId,
  ],
  [
    'tawk',
    // Tawk.to takes callbacks as properties: keep the page's own callback running after ours.
    (w) => {
      const t = w.Tawk_API
      return (
        t &&
        typeof t === 'object' &&
        ((key, fn) => {
          const previous = t[key]
          t[key] = function (this: unknown, ...args: Vendor[]) {
            fn(args[0])
            if (typeof previous === 'function') return previous.apply(this, args)
          }
        })
      )
    },
    {
      onChatStarted: (_, emit) => emit(0),
      onChatMessageVisitor: (m, emit) => emit(1, m?.message ?? m),
      onOfflineSubmit: (data, emit) => emit(2, data || {}),
      onVisitorNameChanged: (name, emit) => emit(2, { name }),
      // The pre-chat form arrives as [{ label, answer }]: map the labels like form fields (the
      // recorder keeps email, name and phone only).
      onPrechatSubmit: (data, emit) => {
        const contact: Record<string, unknown> = {}
        for (const q of Array.isArray(data) ? data : []) contact[traitFor([q?.label])!] = q?.answer
        emit(2, contact)
      },
    },
    (_, data) => data?.chatId,
  ],
  [
    'hubspot',
    // With the tracking code on the page but the widget not ready, use HubSpot's ready queue.
    (w) =>
      onOf(w.HubSpotConversations) ||
      ((w._hsq || w.hsConversationsSettings || w.hsConversationsOnReady) &&
        ((e, f) =>
          (w.hsConversationsOnReady ||= []).push(safe(() => w.HubSpotConversations.on(e, f))))),
    {
      conversationStarted: (_, emit) => emit(0),
      contactAssociated: (_, emit) => emit(2, {}),
    },
    (_, p) => p?.conversation?.conversationId,
  ],
  [
    'livechat',
    (w) => onOf(w.LiveChatWidget),
    {
      customer_status_changed: (e, emit) => e?.status === 'chatting' && emit(0),
      new_event: (e, emit) => {
        if (e?.author?.type !== 'customer' || e.type !== 'message') return
        emit(0)
        emit(1, e.text)
      },
      form_submitted: (_, emit, __, w) => {
        const c = w.LiveChatWidget.get('customer_data')
        if (c) emit(2, { name: c.name, email: c.email, visitorId: c.id })
      },
    },
    (w) => w.LiveChatWidget.get('chat_data')?.chatId,
  ],
  [
    'zendesk',
    // Classic Web Widget reports a chat starting, the Messaging widget only its opening; each
    // event key is the command and its event, and the API a page lacks throws.
    (w) => typeof w.zE === 'function' && ((e, f) => safe(() => w.zE(...e.split(' '), f))()),
    {
      'webWidget:on chat:start': (_, emit) => emit(0),
      'messenger:on open': (_, emit) => emit(0),
    },
  ],
  // Chat widgets used in China. They report less to the page than the ones above: none hands
  // the visitor's contact details or messages to the page, so these report a chat starting.
  [
    'meiqia',
    // 美洽: commands go through _MEIQIA(name, …), queued by the snippet until meiqia.js loads;
    // getPanelVisibility calls back with 'visible' / 'invisible' as the chat window changes.
    (w) => typeof w._MEIQIA === 'function' && ((e, f) => w._MEIQIA(e, f)),
    { getPanelVisibility: (v, emit) => v === 'visible' && emit(0) },
  ],
  [
    'udesk',
    // Udesk: events are keys of the configuration given to ud({…}). Hooked only while the
    // snippet's queue (ud.d) still holds that configuration: the page's own handler is wrapped
    // (or ours added to the queue); afterwards setting the key would replace the page's handler.
    (w) =>
      Array.isArray(w.ud?.d) &&
      ((e, f) => {
        const config = w.ud.d.find((args: Vendor) => args?.[0] && typeof args[0] == 'object')?.[0]
        const own = config?.[e]
        if (typeof own == 'function')
          config[e] = function (this: unknown, ...args: Vendor[]) {
            f(args[0])
            return own.apply(this, args)
          }
        else w.ud(e, f)
      }),
    // An agent's message waiting for the visitor: a conversation is on.
    { onUnread: (data, emit) => data?.count > 0 && emit(0) },
  ],
  [
    '53kf',
    // 53KF: $53.createApi() gives each caller its own API object; push('msg_callback', fn) is
    // called back when a message from the agent arrives.
    (w) =>
      typeof w.$53?.createApi === 'function' &&
      ((e, f) => {
        const api = w.$53.createApi()
        api.push(e, f)
        api.query?.()
      }),
    { msg_callback: (_, emit) => emit(0) },
  ],
]

/**
 * Hooks one vendor to the recorder; false while the vendor is not on the page. Every handler
 * the vendor gets never throws (a malformed payload reads as missing fields, or as nothing).
 *
 * @example
 * VENDORS.filter((vendor) => !hookVendor(vendor, window, chatRecorder(ctx)))
 */
export const hookVendor = (
  [provider, subscribe, events, id]: VendorSpec,
  w: Vendor,
  r: ChatRecorder,
): boolean => {
  const on = subscribe(w)
  if (!on) return false
  for (const event in events)
    on(
      event,
      safe((payload) => {
        const conversationId = id && safe(id)(w, payload)
        events[event]!(
          payload,
          (kind, detail) => r(kind, provider, conversationId, detail),
          conversationId,
          w,
        )
      }),
    )
  return true
}

/** How often and how long vendors that load after the SDK are looked for. */
const POLL_MS = 2_000
const POLL_TRIES = 30

/**
 * Hooks every vendor on the page now, and looks again every 2 s for a minute for those not
 * there yet; a vendor whose API throws is dropped (`failed` is told its provider name).
 * Returns what stops the looking.
 *
 * @example
 * const stop = watchVendors(VENDORS, chatRecorder(ctx))
 */
export const watchVendors = (
  vendors: VendorSpec[],
  record: ChatRecorder,
  failed?: (provider: string) => void,
): (() => void) => {
  let pending = vendors
  let tries = 0
  const scan = () => {
    pending = pending.filter((vendor) => {
      try {
        return !hookVendor(vendor, window, record)
      } catch {
        failed?.(vendor[0])
        return false
      }
    })
  }
  scan()
  const timer = setInterval(() => {
    scan()
    if (!pending.length || ++tries >= POLL_TRIES) clearInterval(timer)
  }, POLL_MS)
  return () => clearInterval(timer)
}
