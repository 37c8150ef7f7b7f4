// One adapter per vendor, each using only that vendor's documented browser API (the doc
// pages are cited in chat/adapters.test.ts). Callbacks go to vendors unwrapped: they only read
// payloads with optional chaining and call the recorder, which never throws. An adapter returns false while its vendor is not
// on the page, so the chat plugin can try again when the widget loads later.
import { traitFor } from '../shared/field-key'
import { safe } from '../shared/listen'
import type { ChatRecorder } from './recorder'

// Vendor globals are untyped by nature; every access below is guarded.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Vendor = any
type Adapter = (w: Vendor, r: ChatRecorder) => boolean

const attempt = (fn: () => unknown): Vendor => {
  try {
    return fn()
  } catch {
    return undefined
  }
}

// Tawk.to takes callbacks as properties: keep the page's own callback running after ours.
const chain = (target: Vendor, key: string, fn: (...args: Vendor[]) => void) => {
  const previous = target[key]
  target[key] = function (this: unknown, ...args: Vendor[]) {
    safe(fn)(...args)
    if (typeof previous === 'function') return previous.apply(this, args)
  }
}

export const ADAPTERS: Record<string, Adapter> = {
  intercom(w, r) {
    const ic = w.Intercom
    if (typeof ic !== 'function') return false
    // Intercom reports the Messenger opening and an email being given, not the email itself.
    ic('onShow', () => r.started('intercom'))
    ic('onUserEmailSupplied', () =>
      r.contact('intercom', { visitorId: attempt(() => ic('getVisitorId')) }),
    )
    return true
  },
  crisp(w, r) {
    const c = w.$crisp
    if (!c || typeof c.push !== 'function') return false
    // Read $crisp again each time: the loaded chatbox replaces the snippet's queue array.
    const id = () => attempt(() => w.$crisp.get('session:identifier'))
    const on = (event: string, fn: (arg: Vendor) => void) => c.push(['on', event, fn])
    on('chat:initiated', () => r.started('crisp', id()))
    on('message:sent', (message) => r.message('crisp', id(), message?.content))
    // Crisp's session identifier stands for the visitor in Crisp: it is the visitor id.
    const contact = (c: Record<string, unknown>) =>
      r.contact('crisp', { ...c, visitorId: id() }, id())
    on('user:email:changed', (email) => contact({ email }))
    on('user:nickname:changed', (name) => contact({ name }))
    on('user:phone:changed', (phone) => contact({ phone }))
    return true
  },
  drift(w, r) {
    const d = w.drift
    if (typeof d?.on !== 'function') return false
    d.on('startConversation', (e: Vendor) => r.started('drift', e?.conversationId))
    d.on('message:sent', (e: Vendor) => r.message('drift', e?.conversationId))
    d.on('emailCapture', (e: Vendor) =>
      r.contact('drift', { email: e?.data?.email }, e?.data?.conversationId),
    )
    return true
  },
  tawk(w, r) {
    const t = w.Tawk_API
    if (!t || typeof t !== 'object') return false
    chain(t, 'onChatStarted', (data) => r.started('tawk', data?.chatId))
    chain(t, 'onChatMessageVisitor', (m) => r.message('tawk', undefined, m?.message ?? m))
    chain(t, 'onOfflineSubmit', (data) => r.contact('tawk', data || {}))
    chain(t, 'onVisitorNameChanged', (name) => r.contact('tawk', { name }))
    // The pre-chat form arrives as [{ label, answer }]: map the labels like form fields.
    chain(t, 'onPrechatSubmit', (data) => {
      const contact: Record<string, unknown> = {}
      for (const q of Array.isArray(data) ? data : []) {
        const trait = traitFor([q?.label])
        if (trait === 'email' || trait === 'name' || trait === 'phone') contact[trait] = q.answer
      }
      r.contact('tawk', contact)
    })
    return true
  },
  hubspot(w, r) {
    const hook = (api: Vendor) => {
      api.on('conversationStarted', (p: Vendor) =>
        r.started('hubspot', p?.conversation?.conversationId),
      )
      api.on('contactAssociated', () => r.contact('hubspot', {}))
    }
    if (typeof w.HubSpotConversations?.on === 'function') hook(w.HubSpotConversations)
    // The tracking code is on the page but the widget is not ready: use HubSpot's ready queue.
    else if (w._hsq || w.hsConversationsSettings || w.hsConversationsOnReady)
      (w.hsConversationsOnReady ||= []).push(safe(() => hook(w.HubSpotConversations)))
    else return false
    return true
  },
  livechat(w, r) {
    const l = w.LiveChatWidget
    if (typeof l?.on !== 'function') return false
    const chatId = () => attempt(() => l.get('chat_data')?.chatId)
    l.on(
      'customer_status_changed',
      (e: Vendor) => e?.status === 'chatting' && r.started('livechat', chatId()),
    )
    l.on('new_event', (e: Vendor) => {
      if (e?.author?.type !== 'customer' || e.type !== 'message') return
      r.started('livechat', chatId())
      r.message('livechat', chatId(), e.text)
    })
    l.on('form_submitted', () => {
      const c = attempt(() => l.get('customer_data'))
      if (c) r.contact('livechat', { name: c.name, email: c.email, visitorId: c.id }, chatId())
    })
    return true
  },
  zendesk(w, r) {
    const zE = w.zE
    if (typeof zE !== 'function') return false
    // Classic Web Widget reports a chat starting; the Messaging widget only its opening.
    const started = () => r.started('zendesk')
    attempt(() => zE('webWidget:on', 'chat:start', started))
    attempt(() => zE('messenger:on', 'open', started))
    return true
  },
}
