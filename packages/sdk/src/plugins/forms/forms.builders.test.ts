// The form patterns of issue 17 in happy-dom: builders' bot traps (honeypots), forms in open
// shadow roots, multi-step forms, show-password toggles, full and payment names. The same
// pages run in real Chromium in test/form-builders.test.ts (layout-based trap marks, real
// submit and click behaviour).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeContext } from '../shared/fake-context'
import { forms } from './forms'
import { isHoneypot, splitName } from './collect-fields'

let teardown: (() => void) | void
// happy-dom has no layout and gives every element one empty box; a browser gives none to a
// field that is not rendered (display:none), which is what these pages' hidden parts are.
// The layout marks (off-screen, zero size) are proven in Chromium (test/form-builders.test.ts).
beforeEach(() => {
  vi.spyOn(Element.prototype, 'getClientRects').mockReturnValue([] as unknown as DOMRectList)
})
afterEach(() => {
  vi.restoreAllMocks()
  if (teardown) teardown()
  teardown = undefined
  document.body.innerHTML = ''
})

function mount(html: string) {
  document.body.innerHTML = html
  const ctx = fakeContext()
  teardown = forms().setup!(ctx)
  return ctx
}

const $ = <E extends Element = HTMLInputElement>(selector: string, root: ParentNode = document) =>
  root.querySelector(selector) as E
const fill = (values: Record<string, string>, root: ParentNode = document) => {
  for (const [selector, value] of Object.entries(values)) $(selector, root).value = value
}
const submit = (form: Element = $('form')) =>
  form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))

// Trap markup as each builder renders it (class names, field names, wrappers).
const TRAPS: [string, string][] = [
  [
    'WPForms',
    `<div class="wpforms-field wpforms-field-hp"><label for="wpforms-9-field-hp" class="wpforms-field-label">Name</label><input type="text" name="wpforms[hp]" id="wpforms-9-field-hp" class="wpforms-field-medium"></div>`,
  ],
  [
    'Ninja Forms',
    `<label for="nf-field-hp-3" aria-hidden="true">If you are a human seeing this field, please leave it empty.<input id="nf-field-hp-3" name="nf-field-hp" class="nf-element nf-field-hp" type="text" value=""></label>`,
  ],
  [
    'Mailchimp',
    `<div style="position:absolute;left:-5000px" aria-hidden="true"><input type="text" name="b_1a2b3c4d5e_6f7a8b9c0d" tabindex="-1" value=""></div>`,
  ],
  [
    'Elementor',
    `<div class="elementor-field-type-honeypot elementor-field-group elementor-column elementor-field-group-field_ab12"><input size="1" type="text" name="form_fields[field_ab12]" id="form-field-field_ab12" class="elementor-field elementor-size-sm elementor-field-textual" style="display:none !important;"></div>`,
  ],
  [
    'Gravity Forms',
    `<div id="field_1_99" class="gfield gfield--type-honeypot gform_validation_container field_sublabel_below"><label class="gfield_label" for="input_1_99">Email</label><div class="ginput_container"><input name="input_99" id="input_1_99" type="text" value="" autocomplete="new-password"></div></div>`,
  ],
]

describe('bot traps (honeypots)', () => {
  it.each(TRAPS)(
    '%s: the trap is never sent; filled, the submission is a probable bot',
    (_, trap) => {
      const html = `<form id="f"><input type="email" name="email">${trap}<button>Send</button></form>`
      const human = mount(html)
      fill({ '[name=email]': 'human@example.com' })
      submit()
      expect(human.identifies[0]!.traits).toEqual({ email: 'human@example.com' })
      expect(human.tracks[0]!.properties).not.toHaveProperty('probableBot')
      teardown!()

      const bot = mount(html)
      const trapField = $('input:not([name=email])')
      expect(isHoneypot(trapField)).toBe(true)
      trapField.value = 'bot-filled-trap-value'
      fill({ '[name=email]': 'bot@example.com' })
      submit()
      expect(bot.identifies).toEqual([]) // no traits from a bot
      expect(bot.tracks).toHaveLength(1)
      expect(bot.tracks[0]!.properties).toMatchObject({ probableBot: true, fields: ['email'] })
      expect(JSON.stringify(bot.tracks)).not.toContain('bot-filled-trap-value')
    },
  )

  it('a hand-made trap: laid out off-screen with tabindex="-1" (no builder name)', () => {
    const ctx = mount(`<form><input type="email" name="email">
      <div style="position:absolute;left:-9999px"><input name="website" tabindex="-1"></div>
      <select name="plan" tabindex="-1" aria-hidden="true" class="select2-hidden-accessible"><option>pro</option></select></form>`)
    // happy-dom has no layout: give the two hidden fields the boxes a browser gives them.
    const offScreen = { right: -9800, bottom: 40, width: 150, height: 20 } as DOMRect
    const onePixel = { right: 1, bottom: 1, width: 1, height: 1 } as DOMRect
    for (const [selector, rect] of [
      ['[name=website]', offScreen],
      ['[name=plan]', onePixel],
    ] as const) {
      vi.spyOn($(selector), 'getClientRects').mockReturnValue([rect] as unknown as DOMRectList)
      vi.spyOn($(selector), 'getBoundingClientRect').mockReturnValue(rect)
    }
    fill({ '[name=email]': 'bot@example.com', '[name=website]': 'https://spam.example' })
    submit()
    expect(ctx.tracks[0]!.properties).toMatchObject({
      probableBot: true,
      fields: ['email', 'plan'],
    })
    expect(JSON.stringify(ctx.tracks)).not.toContain('spam.example')
    expect(isHoneypot($('[name=plan]'))).toBe(false) // a replaced <select> is not a trap
  })

  it('a multi-step form keeps its hidden first step, and a mark without layout is not a trap', () => {
    const ctx = mount(`<form id="steps">
      <fieldset class="step" hidden><input type="email" name="email"></fieldset>
      <fieldset class="step" style="display:none" aria-hidden="true"><input name="company"></fieldset>
      <fieldset class="step"><label>Card <input name="note" autocomplete="off"></label><button>Finish</button></fieldset>
      </form>`)
    fill({ '[name=email]': 'step@example.com', '[name=company]': 'Steps Ltd', '[name=note]': 'hi' })
    submit()
    expect(ctx.identifies[0]!.traits).toEqual({ email: 'step@example.com', company: 'Steps Ltd' })
    expect(ctx.tracks[0]!.properties).toMatchObject({ fields: ['email', 'company', 'note'] })
  })
})

describe('forms in open shadow roots', () => {
  function component(html: string, nested = false) {
    document.body.innerHTML = '<signup-card></signup-card>'
    const host = $<HTMLElement>('signup-card')
    let root = host.attachShadow({ mode: 'open' })
    if (nested) {
      root.innerHTML = '<inner-form></inner-form>'
      root = $<HTMLElement>('inner-form', root).attachShadow({ mode: 'open' })
    }
    root.innerHTML = html
    return root
  }

  it.each([
    ['one level', false],
    ['nested', true],
  ])('submit inside a shadow root (%s) is found once the visitor is in it', (_, nested) => {
    const ctx = fakeContext()
    teardown = forms().setup!(ctx)
    const root = component(
      `<form id="wc"><input type="email" name="email"><input name="fullname" placeholder="Full name"><button>Join</button></form>`,
      nested,
    )
    fill({ '[name=email]': 'shadow@example.com', '[name=fullname]': 'Ada Lovelace' }, root)
    $('[name=email]', root).dispatchEvent(
      new FocusEvent('focusin', { bubbles: true, composed: true }),
    )
    submit($('form', root))
    expect(ctx.tracks.map((t) => t.properties.formId)).toEqual(['wc'])
    expect(ctx.identifies[0]!.traits).toEqual({
      email: 'shadow@example.com',
      name: 'Ada Lovelace',
      firstName: 'Ada',
      lastName: 'Lovelace',
    })
  })

  it('a form in the page holding a web component with its own fields reads them too', () => {
    const ctx = mount(`<form id="light"><email-field></email-field><button>Go</button></form>`)
    const inner = $<HTMLElement>('email-field').attachShadow({ mode: 'open' })
    inner.innerHTML = `<label>Email <input name="work-email"></label>`
    fill({ input: 'deep@example.com' }, inner)
    submit()
    expect(ctx.identifies[0]!.traits).toEqual({ email: 'deep@example.com' })
  })

  it('a type="button" click inside a shadow root (no submit event) is caught', () => {
    const ctx = fakeContext()
    teardown = forms().setup!(ctx)
    const root = component(
      `<div class="card"><input type="email" name="email"><button type="button">Subscribe</button></div>`,
    )
    fill({ '[name=email]': 'click@example.com' }, root)
    $<HTMLButtonElement>('button', root).click()
    expect(ctx.identifies[0]!.traits).toEqual({ email: 'click@example.com' })
  })
})

describe('one Form Submitted per real submission', () => {
  it('multi-step: "Continue" is not a submission; the final submit carries every step', () => {
    const ctx = mount(`<form id="wizard">
      <div class="step1"><input type="email" name="email"><button type="button" id="next">Continue</button></div>
      <div class="step2" hidden><input name="company"><button type="submit">Request demo</button></div></form>`)
    fill({ '[name=email]': 'wiz@example.com' })
    $<HTMLButtonElement>('#next').click()
    expect(ctx.tracks).toEqual([])
    fill({ '[name=company]': 'Wizards' })
    submit()
    expect(ctx.tracks).toHaveLength(1)
    expect(ctx.tracks[0]!.properties.values).toEqual({
      email: 'wiz@example.com',
      company: 'Wizards',
    })
  })

  it('a "Next" submit button whose submit the page cancels is not a submission', async () => {
    const ctx = mount(`<form><input type="email" name="email"><button id="n">Next</button></form>`)
    const form = $<HTMLFormElement>('form')
    form.addEventListener('submit', (e) => e.preventDefault())
    fill({ '[name=email]': 'next@example.com' })
    form.requestSubmit($<HTMLButtonElement>('#n'))
    await new Promise((r) => setTimeout(r, 10))
    expect(ctx.tracks).toEqual([])
  })

  it('a "Continue" submit button whose submit goes through is a submission', async () => {
    const ctx = mount(
      `<form id="p1"><input type="email" name="email"><button id="c">Continue</button></form>`,
    )
    fill({ '[name=email]': 'page1@example.com' })
    $<HTMLFormElement>('form').requestSubmit($<HTMLButtonElement>('#c'))
    await new Promise((r) => setTimeout(r, 10))
    expect(ctx.tracks.map((t) => t.properties.formId)).toEqual(['p1'])
  })

  it('a show-password toggle is not a submission, even in a form without a submit button', () => {
    const ctx =
      mount(`<div class="login"><input type="email" name="email"><input type="password" name="pw">
      <button type="button" aria-label="Show password" id="eye"></button><button type="button" id="go">Log in</button></div>`)
    fill({ '[name=email]': 'login@example.com', '[name=pw]': 'S3cret-pass' })
    $<HTMLButtonElement>('#eye').click()
    expect(ctx.tracks).toEqual([])
    $<HTMLButtonElement>('#go').click()
    expect(ctx.tracks).toHaveLength(1)
    expect(JSON.stringify(ctx.tracks)).not.toContain('S3cret-pass')
  })

  it('Ninja Forms: its type="button" submit in a form with no submit button still counts', () => {
    const ctx = mount(
      `<form><input type="email" name="nf-field-5" id="nf-field-5"><input type="button" id="nf-field-7" class="ninja-forms-field nf-element" value="Submit"></form>`,
    )
    fill({ '#nf-field-5': 'ninja@example.com' })
    $<HTMLInputElement>('#nf-field-7').click()
    expect(ctx.tracks).toHaveLength(1)
  })
})

describe('names', () => {
  it.each([
    ['Ada Lovelace', ['Ada', 'Lovelace']],
    ['Gabriel García Márquez', ['Gabriel', 'García Márquez']],
    ['王芳', ['芳', '王']],
    ['张小明', ['小明', '张']],
    ['欧阳修', ['修', '欧阳']],
    ['欧阳娜娜', ['娜娜', '欧阳']],
    ['山田 太郎', ['太郎', '山田']],
    ['Cher', undefined],
  ] as const)('splits %s', (name, parts) => {
    expect(splitName(name)).toEqual(parts)
  })

  it('Gravity Forms payment form: the cardholder name never becomes the contact name', () => {
    const ctx = mount(`<form id="gform_3">
      <div class="ginput_complex"><span><input type="text" name="input_1.3" id="input_3_1_3"><label for="input_3_1_3">First</label></span>
      <span><input type="text" name="input_1.6" id="input_3_1_6"><label for="input_3_1_6">Last</label></span></div>
      <input type="email" name="input_2" id="input_3_2">
      <label for="input_3_5_5">Cardholder Name</label><input type="text" name="input_5.5" id="input_3_5_5">
      <label for="input_3_6">Billing name</label><input type="text" name="billing_name" id="input_3_6">
      <input type="submit" value="Pay"></form>`)
    fill({
      '#input_3_1_3': 'Grace',
      '#input_3_1_6': 'Hopper',
      '#input_3_2': 'grace@example.com',
      '#input_3_5_5': 'G M HOPPER',
      '#input_3_6': 'Navy Accounts',
    })
    submit()
    expect(ctx.identifies[0]!.traits).toEqual({
      firstName: 'Grace',
      lastName: 'Hopper',
      name: 'Grace Hopper',
      email: 'grace@example.com',
    })
  })
})
