// Runs the capture plugins over the example site's own pages (examples/site), so the markup
// the end-to-end tests rely on is known to produce the expected events.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { capturePlugins } from './index'
import { fakeContext } from './shared/fake-context'

const SITE = join(__dirname, '../../../../examples/site')
const read = (file: string) => readFileSync(join(SITE, file), 'utf8')
const bodyOf = (html: string) =>
  /<body>([\s\S]*)<\/body>/.exec(html)![1]!.replace(/<script[\s\S]*?<\/script>/g, '')

let teardowns: (void | (() => void))[] = []
afterEach(() => {
  teardowns.forEach((teardown) => teardown && teardown())
  teardowns = []
  document.body.innerHTML = ''
  delete (window as unknown as Record<string, unknown>).$crisp
})

function open(file: string, options: Record<string, unknown> = {}) {
  document.body.innerHTML = bodyOf(read(file))
  const ctx = fakeContext(options)
  for (const plugin of capturePlugins(options)) teardowns.push(plugin.setup!(ctx))
  return ctx
}

const set = (selector: string, value: string) =>
  ((document.querySelector(selector) as HTMLInputElement).value = value)

describe('example site', () => {
  it('every page carries the script tag with replaceable placeholders', () => {
    for (const page of ['index.html', 'pricing.html', 'demo.html', 'webinar.html', 'chat.html']) {
      expect(read(page)).toContain(
        '<script async src="/sdk.js" data-write-key="__WRITE_KEY__" data-host="__HOST__"></script>',
      )
    }
  })

  it('webinar registration yields traits, the form event and the newsletter subscription', () => {
    const ctx = open('webinar.html')
    set('#first-name', 'Ada')
    set('#last-name', 'Lovelace')
    set('#work-email', 'ada@example.com')
    set('#company', 'Analytical Engines')
    set('#job-title', 'CTO')
    ;(document.querySelector('#newsletter') as HTMLInputElement).checked = true
    document
      .querySelector('#webinar-registration')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    expect(ctx.identifies[0]!.traits).toEqual({
      firstName: 'Ada',
      lastName: 'Lovelace',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      company: 'Analytical Engines',
      title: 'CTO',
    })
    expect(ctx.tracks.map((t) => t.event)).toEqual([
      'Form Submitted',
      'Subscription Preferences Updated',
    ])
    expect(ctx.tracks[1]!.properties).toEqual({
      topics: { newsletter: 'subscribed' },
      source: 'form',
      formId: 'webinar-registration',
    })
    expect(JSON.stringify(ctx.tracks)).not.toContain('wb-2025-06')
  })

  it('the account form never yields its password', () => {
    const ctx = open('webinar.html')
    set('#account-email', 'ada@example.com')
    set('#account-password', 'correct-horse-battery')
    document
      .querySelector('#create-account')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    expect(ctx.tracks[0]!.properties.fields).toEqual(['email'])
    expect(JSON.stringify([ctx.tracks, ctx.identifies])).not.toContain('correct-horse')
  })

  it('the whitepaper link is a download', () => {
    const ctx = open('index.html')
    document.addEventListener('click', (e) => e.preventDefault(), { once: true })
    document
      .querySelector('#whitepaper')!
      .dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
    expect(ctx.tracks[0]).toMatchObject({
      event: 'File Downloaded',
      properties: { fileName: 'whitepaper.pdf', extension: 'pdf' },
    })
  })

  it('the chat stand-in drives the Crisp adapter', () => {
    ;(window as unknown as Record<string, unknown>).$crisp = []
    const ctx = open('chat.html', { captureChatText: false })
    new Function(read('chat-stand-in.js'))()
    set('#chat-message', 'Do you have an EU region?')
    document
      .querySelector('#chat-message-form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    set('#chat-name', 'Ada')
    set('#chat-email', 'ada@example.com')
    document
      .querySelector('#chat-contact-form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    expect(ctx.tracks.map((t) => t.event)).toEqual([
      'Chat Started',
      'Chat Message Sent',
      'Chat Contact Captured',
      'Chat Contact Captured',
    ])
    expect(ctx.tracks[0]!.properties.conversationId).toMatch(/^session_/)
    expect(ctx.identifies.map((i) => i.traits)).toEqual([
      { name: 'Ada' },
      { email: 'ada@example.com' },
    ])
    expect(JSON.stringify(ctx.tracks)).not.toContain('EU region')
  })
})
