import { afterEach, describe, expect, it } from 'vitest'
import { fakeContext } from '../shared/fake-context'
import { subscriptions } from './subscriptions'

let teardown: (() => void) | void
afterEach(() => {
  if (teardown) teardown()
  teardown = undefined
  document.body.innerHTML = ''
})

function submitted(html: string, tick: string[] = []) {
  document.body.innerHTML = html
  const ctx = fakeContext()
  teardown = subscriptions().setup!(ctx)
  for (const selector of tick) (document.querySelector(selector) as HTMLInputElement).checked = true
  document
    .querySelector('form')!
    .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  return ctx
}

describe('subscriptions', () => {
  it('reports marked topics both ways, with source and form id', () => {
    const ctx = submitted(
      `<form id="webinar"><input type="email" name="email">
        <input type="checkbox" id="n" data-lodestone-subscription="newsletter">
        <input type="checkbox" data-lodestone-subscription="product-updates"></form>`,
      ['#n'],
    )
    expect(ctx.tracks).toEqual([
      {
        event: 'Subscription Preferences Updated',
        properties: {
          topics: { newsletter: 'subscribed', 'product-updates': 'unsubscribed' },
          source: 'form',
          formId: 'webinar',
        },
      },
    ])
    expect(ctx.flushes).toEqual([{ beacon: true }])
  })

  it.each([
    ['a newsletter name', `<input type="checkbox" name="newsletter" id="c">`],
    [
      'a Mailchimp-style opt-in id',
      `<input type="checkbox" id="c" name="group[1]"><label for="c">Yes, send me marketing emails</label>`,
    ],
    ['a Chinese label', `<label><input type="checkbox" id="c" name="x"> 订阅我们的新闻</label>`],
    [
      'an opt-in label',
      `<label for="c">Opt-in to updates</label><input type="checkbox" id="c" name="agree">`,
    ],
  ])('recognises a ticked opt-in by %s', (_, box) => {
    const ctx = submitted(`<form>${box}</form>`, ['#c'])
    expect(ctx.tracks[0]!.properties.topics).toEqual({ newsletter: 'subscribed' })
  })

  it('says nothing for an unticked look-alike, an unsubscribe box, or an ignored box', () => {
    const ctx = submitted(
      `<form><input type="checkbox" name="newsletter">
        <input type="checkbox" id="u" name="unsubscribe_all">
        <input type="checkbox" id="i" data-lodestone-subscription="offers" data-lodestone-ignore></form>`,
      ['#u', '#i'],
    )
    expect(ctx.tracks).toEqual([])
  })

  it('ignores forms without subscription boxes and forms marked data-lodestone-ignore', () => {
    expect(
      submitted(`<form><input type="checkbox" name="terms" id="t"></form>`, ['#t']).tracks,
    ).toEqual([])
    const ignoredForm = submitted(
      `<form data-lodestone-ignore><input type="checkbox" id="n" data-lodestone-subscription="newsletter"></form>`,
      ['#n'],
    )
    expect(ignoredForm.tracks).toEqual([])
  })
})
