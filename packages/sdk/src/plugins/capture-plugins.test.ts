import { afterEach, describe, expect, it } from 'vitest'
import { capturePlugins } from './index'
import { fakeContext } from './shared/fake-context'

let teardowns: (void | (() => void))[] = []
afterEach(() => {
  teardowns.forEach((teardown) => teardown && teardown())
  teardowns = []
  document.body.innerHTML = ''
})

describe('capturePlugins', () => {
  it('returns every capture plugin by default', () => {
    expect(capturePlugins().map((p) => p.name)).toEqual([
      'forms',
      'subscriptions',
      'chat',
      'engagement',
      'downloads',
    ])
  })

  it('honours capture flags', () => {
    expect(capturePlugins({ capture: false })).toEqual([])
    expect(capturePlugins({ capture: { forms: false, chat: false } }).map((p) => p.name)).toEqual([
      'subscriptions',
      'engagement',
      'downloads',
    ])
  })

  it('passes an options object to the plugin factory', () => {
    const [plugin] = capturePlugins({
      capture: {
        forms: false,
        subscriptions: false,
        chat: false,
        engagement: false,
        downloads: { extensions: ['dmg'] },
      },
    })
    const ctx = fakeContext()
    teardowns.push(plugin!.setup!(ctx))
    document.body.innerHTML = `<a href="/app.dmg">x</a><a href="/doc.pdf">y</a>`
    document.addEventListener('click', (e) => e.preventDefault())
    document
      .querySelectorAll('a')
      .forEach((a) => a.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true })))
    expect(ctx.tracks.map((t) => t.properties.fileName)).toEqual(['app.dmg'])
  })

  it('does no work at module load and sets up without throwing', () => {
    const ctx = fakeContext()
    for (const plugin of capturePlugins()) teardowns.push(plugin.setup!(ctx))
    expect(ctx.tracks).toEqual([])
  })
})
