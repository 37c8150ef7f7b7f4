/* global window, document, console, setTimeout */
/*
 * STAND-IN, NOT CRISP. A tiny fake chat widget for the example site and end-to-end tests.
 * It implements a small subset of Crisp's documented `$crisp` browser API
 * (https://docs.crisp.chat/guides/chatbox-sdks/web-sdk/dollar-crisp/) so that Lodestone's
 * Crisp adapter can be exercised without a Crisp account:
 *   - the snippet's queue (`window.$crisp = []`) is replayed when this script loads;
 *   - $crisp.push(['on', event, fn]) / ['off', event]; $crisp.push(['set', 'user:email', [email]]),
 *     ['set', 'user:nickname', [name]]; $crisp.get('session:identifier'); $crisp.is('chat:opened');
 *   - events fired: chat:initiated, message:sent (message object with `content`),
 *     user:email:changed (email), user:nickname:changed (name).
 * The widget root is marked data-lodestone-ignore: a real chatbox lives in an iframe that the
 * page's form capture cannot see, and its contact form must not double as a page form.
 */
;(function () {
  var handlers = {}
  var sessionId = 'session_' + Math.random().toString(36).slice(2, 10)
  var initiated = false

  function fire(event, payload) {
    ;(handlers[event] || []).forEach(function (fn) {
      try {
        fn(payload)
      } catch (error) {
        console.error('[chat stand-in] handler failed', error)
      }
    })
  }

  var api = {
    push: function (command) {
      var verb = command[0]
      var name = command[1]
      var value = command[2]
      if (verb === 'on') (handlers[name] = handlers[name] || []).push(value)
      else if (verb === 'off') delete handlers[name]
      else if (verb === 'set' && name === 'user:email') fire('user:email:changed', value[0])
      else if (verb === 'set' && name === 'user:nickname') fire('user:nickname:changed', value[0])
    },
    get: function (name) {
      return name === 'session:identifier' ? sessionId : undefined
    },
    is: function (name) {
      return name === 'chat:opened'
    },
  }

  var queued = Array.isArray(window.$crisp) ? window.$crisp : []
  window.$crisp = api
  queued.forEach(api.push)

  var root = document.createElement('div')
  root.id = 'chat-widget'
  root.setAttribute('data-lodestone-ignore', '')
  root.innerHTML =
    '<strong>Chat with sales</strong> <small>(stand-in)</small>' +
    '<div id="chat-log"></div>' +
    '<form id="chat-message-form"><input id="chat-message" placeholder="Type a message">' +
    '<button type="submit">Send</button></form>' +
    '<form id="chat-contact-form"><input id="chat-name" placeholder="Your name">' +
    '<input id="chat-email" type="email" placeholder="Your email"><button type="submit">Save</button></form>'
  document.body.appendChild(root)

  var log = root.querySelector('#chat-log')
  function say(text) {
    var line = document.createElement('div')
    line.textContent = text
    log.appendChild(line)
  }

  root.querySelector('#chat-message-form').addEventListener('submit', function (event) {
    event.preventDefault()
    var input = root.querySelector('#chat-message')
    var content = input.value.trim()
    if (!content) return
    if (!initiated) {
      initiated = true
      fire('chat:initiated')
    }
    fire('message:sent', {
      type: 'text',
      origin: 'chat',
      from: 'user',
      content: content,
      timestamp: Date.now(),
    })
    say('You: ' + content)
    input.value = ''
    setTimeout(function () {
      say('Sales: Thanks! Leave your email and we will get back to you.')
    }, 300)
  })

  root.querySelector('#chat-contact-form').addEventListener('submit', function (event) {
    event.preventDefault()
    var name = root.querySelector('#chat-name').value.trim()
    var email = root.querySelector('#chat-email').value.trim()
    if (name) api.push(['set', 'user:nickname', [name]])
    if (email) api.push(['set', 'user:email', [email]])
    say('Saved your details.')
  })
})()
