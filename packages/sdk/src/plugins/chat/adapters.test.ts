// Each vendor is driven through a stand-in of its global API. The stand-ins are written from
// the vendor's public documentation (cited per block) and implement only what the adapters use.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeContext } from '../shared/fake-context'
import { chat } from './chat'

type Handler = (...args: unknown[]) => void
const w = window as unknown as Record<string, unknown>
const GLOBALS = [
  'Intercom',
  '$crisp',
  'drift',
  'Tawk_API',
  'HubSpotConversations',
  'hsConversationsOnReady',
  '_hsq',
  'LiveChatWidget',
  'zE',
  '_MEIQIA',
  'ud',
  '$53',
]

let teardown: (() => void) | void
beforeEach(() => vi.useFakeTimers())
afterEach(() => {
  if (teardown) teardown()
  teardown = undefined
  for (const name of GLOBALS) delete w[name]
  vi.useRealTimers()
})

function start(options: Record<string, unknown> = {}) {
  const ctx = fakeContext(options)
  teardown = chat().setup!(ctx)
  return ctx
}

/** A tiny event registry shared by the stand-ins. */
function registry() {
  const handlers: Record<string, Handler[]> = {}
  return {
    on: (event: string, fn: Handler) => void (handlers[event] ||= []).push(fn),
    emit: (event: string, ...args: unknown[]) =>
      (handlers[event] || []).forEach((fn) => fn(...args)),
  }
}

describe('Intercom', () => {
  // Stand-in per https://developers.intercom.com/installing-intercom/web/methods :
  // Intercom('onShow', fn), Intercom('onUserEmailSupplied', fn), Intercom('getVisitorId').
  it('reports the Messenger opening once and an email being supplied', () => {
    const events = registry()
    w.Intercom = (command: string, arg?: Handler) =>
      command === 'getVisitorId' ? 'visitor-7' : events.on(command, arg!)
    const ctx = start()
    events.emit('onShow')
    events.emit('onShow')
    events.emit('onUserEmailSupplied')
    expect(ctx.tracks).toEqual([
      { event: 'Chat Started', properties: { provider: 'intercom' } },
      {
        event: 'Chat Contact Captured',
        properties: { provider: 'intercom', visitorId: 'visitor-7' },
        context: {
          externalIds: [{ id: 'visitor-7', type: 'intercom_visitor_id', collection: 'users' }],
        },
      },
    ])
  })
})

describe('Crisp', () => {
  // Stand-in per https://docs.crisp.chat/guides/chatbox-sdks/web-sdk/dollar-crisp/ :
  // queue-based $crisp.push(['on', event, fn]) that is safe before load; $crisp.get('session:identifier');
  // events chat:initiated, message:sent (message object with content), user:email:changed, user:nickname:changed.
  function loadCrisp(queue: unknown[][]) {
    const events = registry()
    const api = {
      push: (command: unknown[]) =>
        command[0] === 'on' && events.on(command[1] as string, command[2] as Handler),
      get: (key: string) => (key === 'session:identifier' ? 'session_abc' : undefined),
    }
    queue.forEach((command) => api.push(command))
    w.$crisp = api
    return events
  }

  it('hooks the pre-load queue and reports start, messages and contact details', () => {
    w.$crisp = [] // the snippet's queue before the chatbox script has loaded
    const ctx = start({ captureChatText: true })
    const events = loadCrisp(w.$crisp as unknown[][])
    events.emit('chat:initiated')
    events.emit('message:sent', { type: 'text', content: 'Hello' })
    events.emit('user:email:changed', 'lin@example.com')
    events.emit('user:nickname:changed', 'Lin')
    expect(ctx.tracks.map((t) => [t.event, t.properties])).toEqual([
      ['Chat Started', { provider: 'crisp', conversationId: 'session_abc' }],
      [
        'Chat Message Sent',
        { provider: 'crisp', conversationId: 'session_abc', messageCount: 1, text: 'Hello' },
      ],
      [
        'Chat Contact Captured',
        {
          provider: 'crisp',
          conversationId: 'session_abc',
          email: 'lin@example.com',
          visitorId: 'session_abc',
        },
      ],
      [
        'Chat Contact Captured',
        { provider: 'crisp', conversationId: 'session_abc', name: 'Lin', visitorId: 'session_abc' },
      ],
    ])
    expect(ctx.tracks[2]!.context).toEqual({
      externalIds: [{ id: 'session_abc', type: 'crisp_visitor_id', collection: 'users' }],
    })
    expect(ctx.identifies.map((i) => i.traits)).toEqual([
      { email: 'lin@example.com' },
      { name: 'Lin' },
    ])
  })

  it('finds a widget that appears after the SDK, by polling', () => {
    const ctx = start()
    vi.advanceTimersByTime(4_000)
    const events = loadCrisp([])
    vi.advanceTimersByTime(2_000)
    events.emit('message:sent', { content: 'secret text' })
    expect(ctx.tracks).toEqual([
      {
        event: 'Chat Message Sent',
        properties: { provider: 'crisp', conversationId: 'session_abc', messageCount: 1 },
      },
    ])
  })
})

describe('Drift', () => {
  // Stand-in per https://devdocs.drift.com/docs/drift-events : drift.on(event, fn) with
  // startConversation { conversationId }, message:sent { conversationId }, emailCapture { data: { email, conversationId } }.
  it('reports conversation start, messages and the captured email', () => {
    const events = registry()
    w.drift = { on: events.on }
    const ctx = start()
    events.emit('startConversation', { conversationId: 991, inboxId: 1 })
    events.emit('message:sent', { conversationId: 991, inboxId: 1 })
    events.emit('emailCapture', { data: { email: 'drift@example.com', conversationId: 991 } })
    expect(ctx.tracks.map((t) => t.event)).toEqual([
      'Chat Started',
      'Chat Message Sent',
      'Chat Contact Captured',
    ])
    expect(ctx.tracks[2]!.properties).toEqual({
      provider: 'drift',
      conversationId: '991',
      email: 'drift@example.com',
    })
    expect(ctx.identifies[0]!.traits).toEqual({ email: 'drift@example.com' })
  })
})

describe('Tawk.to', () => {
  // Stand-in per https://developer.tawk.to/jsapi/ : callbacks set as Tawk_API properties —
  // onChatStarted({ chatId }), onChatMessageVisitor(message), onPrechatSubmit([{ label, answer }]), onOfflineSubmit({ name, email, ... }).
  it('chains its callbacks with the page own ones and reads the pre-chat form', () => {
    const pageCallback = vi.fn()
    const api: Record<string, Handler> = { onChatStarted: pageCallback }
    w.Tawk_API = api
    const ctx = start()
    api.onChatStarted!({ chatId: 'chat-1' })
    api.onPrechatSubmit!([
      { label: 'Name', answer: 'Tomás' },
      { label: 'Email', answer: 'tomas@example.com' },
      { label: 'Question', answer: 'Do you integrate with X?' },
    ])
    api.onChatMessageVisitor!('Do you integrate with X?')
    expect(pageCallback).toHaveBeenCalledWith({ chatId: 'chat-1' })
    expect(ctx.tracks.map((t) => t.event)).toEqual([
      'Chat Started',
      'Chat Contact Captured',
      'Chat Message Sent',
    ])
    expect(ctx.identifies[0]!.traits).toEqual({ email: 'tomas@example.com', name: 'Tomás' })
    expect(JSON.stringify(ctx.tracks)).not.toContain('integrate')
  })
})

describe('HubSpot chat', () => {
  // Stand-in per https://developers.hubspot.com/docs/api/conversation/chat-widget-sdk :
  // window.hsConversationsOnReady (array of functions run once the API is ready),
  // HubSpotConversations.on('conversationStarted', ({ conversation: { conversationId } }) => …), 'contactAssociated'.
  it('waits on hsConversationsOnReady when the tracking code is there but the widget is not', () => {
    w._hsq = []
    const ctx = start()
    const events = registry()
    w.HubSpotConversations = { on: events.on }
    for (const ready of w.hsConversationsOnReady as (() => void)[]) ready()
    events.emit('conversationStarted', { conversation: { conversationId: 1234 } })
    events.emit('contactAssociated', { message: 'contact associated' })
    expect(ctx.tracks).toEqual([
      { event: 'Chat Started', properties: { provider: 'hubspot', conversationId: '1234' } },
      { event: 'Chat Contact Captured', properties: { provider: 'hubspot' } },
    ])
  })
})

describe('LiveChat', () => {
  // Stand-in per https://platform.text.com/docs/extending-chat-widget/javascript-api :
  // LiveChatWidget.on('new_event', e) with e.author.type 'customer', on('form_submitted'),
  // on('customer_status_changed', { status }), LiveChatWidget.get('customer_data' | 'chat_data').
  it('counts customer messages only and reads the customer data after a form', () => {
    const events = registry()
    w.LiveChatWidget = {
      on: events.on,
      get: (what: string) =>
        what === 'chat_data'
          ? { chatId: 'QX1', threadId: 'T1' }
          : { id: 'cust-1', name: 'Noor', email: 'noor@example.com', isReturning: false },
    }
    const ctx = start()
    events.emit('customer_status_changed', { status: 'chatting' })
    events.emit('new_event', { type: 'message', author: { id: 'a', type: 'agent' }, text: 'Hi!' })
    events.emit('new_event', {
      type: 'message',
      author: { id: 'c', type: 'customer' },
      text: 'Hello',
    })
    events.emit('form_submitted', { type: 'prechat' })
    expect(ctx.tracks.map((t) => [t.event, t.properties])).toEqual([
      ['Chat Started', { provider: 'livechat', conversationId: 'QX1' }],
      ['Chat Message Sent', { provider: 'livechat', conversationId: 'QX1', messageCount: 1 }],
      [
        'Chat Contact Captured',
        {
          provider: 'livechat',
          conversationId: 'QX1',
          email: 'noor@example.com',
          name: 'Noor',
          visitorId: 'cust-1',
        },
      ],
    ])
  })
})

describe('Zendesk Web Widget', () => {
  // Stand-in per https://developer.zendesk.com/api-reference/widget/chat-api (Classic: zE('webWidget:on', 'chat:start', fn))
  // and https://developer.zendesk.com/api-reference/widget-messaging/web/core/ (Messaging: zE('messenger:on', 'open', fn)).
  it('reports a chat start from the Classic widget, and survives the API it does not have', () => {
    const events = registry()
    w.zE = (command: string, event: string, fn: Handler) => {
      if (command !== 'webWidget:on') throw new Error(`Method ${command}.${event} does not exist`)
      events.on(event, fn)
    }
    const ctx = start()
    events.emit('chat:start')
    expect(ctx.tracks).toEqual([{ event: 'Chat Started', properties: { provider: 'zendesk' } }])
  })
})

// Chat widgets used in China. The stand-ins are written from the vendors' public JavaScript
// documentation (facts only) and implement only what the adapters use.
describe('美洽 Meiqia', () => {
  // Stand-in per https://meiqia.com/help/article/javascript (JavaScript 网页插件): the snippet
  // defines _MEIQIA(...) queueing its arguments in _MEIQIA.a until meiqia.js loads;
  // _MEIQIA('getPanelVisibility', fn) calls fn('visible' | 'invisible') (获取聊天窗口可见性).
  it('reports the chat window opening once, through the snippet queue', () => {
    const snippet = (...args: unknown[]) => void (snippet.a ||= []).push(args)
    snippet.a = undefined as unknown[][] | undefined
    w._MEIQIA = snippet
    const ctx = start()
    // meiqia.js loads and replays the queue.
    const callbacks: Handler[] = []
    for (const [command, fn] of snippet.a as [string, Handler][])
      if (command === 'getPanelVisibility') callbacks.push(fn)
    callbacks.forEach((fn) => fn('invisible'))
    callbacks.forEach((fn) => fn('visible'))
    callbacks.forEach((fn) => fn('invisible'))
    callbacks.forEach((fn) => fn('visible'))
    expect(ctx.tracks).toEqual([{ event: 'Chat Started', properties: { provider: 'meiqia' } }])
  })
})

describe('Udesk', () => {
  // Stand-in per https://www.udesk.cn/doc/thirdparty/webim/ (WebIM 网页插件): the snippet
  // defines ud(...) queueing its arguments in ud.d; "all properties and events are configured
  // within ud({...})" or ud(key, value); onUnread is called with { count } (the payload shape
  // as public pages use it; the doc page's event table was not available to us in full).
  function snippet() {
    const ud = (...args: unknown[]) => void (ud.d ||= []).push(args)
    ud.d = undefined as unknown[][] | undefined
    w.ud = ud
    return ud
  }
  it("wraps the page's own onUnread and reports a chat once an agent's message waits", () => {
    const ud = snippet()
    const pageOnUnread = vi.fn()
    ud({ code: 'x', link: 'https://x.udesk.cn/im_client/?web_plugin_id=1', onUnread: pageOnUnread })
    const ctx = start()
    const config = (ud.d as [Record<string, Handler>][])[0]![0]
    config.onUnread!({ count: 0 })
    config.onUnread!({ count: 2 })
    expect(pageOnUnread).toHaveBeenCalledTimes(2)
    expect(pageOnUnread).toHaveBeenLastCalledWith({ count: 2 })
    expect(ctx.tracks).toEqual([{ event: 'Chat Started', properties: { provider: 'udesk' } }])
  })
  it('adds its own onUnread to the queue when the page set none', () => {
    const ud = snippet()
    ud({ code: 'x' })
    const ctx = start()
    const [key, fn] = (ud.d as unknown[][])[1] as [string, Handler]
    expect(key).toBe('onUnread')
    fn({ count: 1 })
    expect(ctx.tracks.map((t) => t.event)).toEqual(['Chat Started'])
  })
})

describe('53KF', () => {
  // Stand-in for 53KF's page API: $53.createApi() returns an API object per caller (kept in
  // $53.apiArr); api.push(key, value) sets a parameter, api.query() runs it; 'msg_callback' is
  // called when a message from the agent arrives. 53KF's API documentation page was not
  // available to us: these facts are from 53KF's own widget script as served to pages.
  it('reports a chat when the first agent message arrives', () => {
    const callbacks: Handler[] = []
    w.$53 = {
      createApi: () => ({
        push: (key: string, value: Handler) => key === 'msg_callback' && callbacks.push(value),
        query: () => undefined,
      }),
    }
    const ctx = start()
    callbacks.forEach((fn) => fn())
    callbacks.forEach((fn) => fn())
    expect(ctx.tracks).toEqual([{ event: 'Chat Started', properties: { provider: '53kf' } }])
  })
})

describe('robustness', () => {
  it('never throws into the page when a vendor API misbehaves', () => {
    w.drift = {
      on: () => {
        throw new Error('broken')
      },
    }
    w.Intercom = () => undefined
    expect(() => start()).not.toThrow()
    expect(() => vi.advanceTimersByTime(70_000)).not.toThrow()
  })
})
