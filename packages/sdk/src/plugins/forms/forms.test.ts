import { afterEach, describe, expect, it } from 'vitest'
import { fakeContext } from '../shared/fake-context'
import { forms } from './forms'

let teardown: (() => void) | void
afterEach(() => {
  if (teardown) teardown()
  document.body.innerHTML = ''
})

function mount(html: string) {
  if (teardown) teardown()
  document.body.innerHTML = html
  const ctx = fakeContext()
  teardown = forms().setup!(ctx)
  return ctx
}

function fill(values: Record<string, string>) {
  for (const [selector, value] of Object.entries(values)) {
    ;(document.querySelector(selector) as HTMLInputElement).value = value
  }
}

function submit(selector = 'form') {
  document
    .querySelector(selector)!
    .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
}

// Markup shaped like the real embeds (field names, ids, labels as those tools render them).
const MARKUPS: {
  name: string
  html: string
  fill: Record<string, string>
  traits: Record<string, string>
}[] = [
  {
    name: 'HubSpot-style form',
    html: `<form id="hsForm_1" class="hs-form" action="https://forms.hsforms.com/submissions/v3/public/submit/formsnext/multipart/1/abc">
      <div class="hs_firstname"><label for="firstname-1">First Name</label><input id="firstname-1" name="firstname" type="text"></div>
      <div class="hs_lastname"><label for="lastname-1">Last Name</label><input id="lastname-1" name="lastname" type="text"></div>
      <div class="hs_email"><label for="email-1">Email<span class="hs-form-required">*</span></label><input id="email-1" name="email" type="email"></div>
      <div class="hs_company"><label for="company-1">Company name</label><input id="company-1" name="company" type="text"></div>
      <div class="hs_jobtitle"><label for="jobtitle-1">Job Title</label><input id="jobtitle-1" name="jobtitle" type="text"></div>
      <div class="hs_numemployees"><label for="numemployees-1">Number of Employees</label>
        <select id="numemployees-1" name="numemployees"><option value="">Please Select</option><option value="51-200">51-200</option></select></div>
      <div class="hs_annualrevenue"><label for="annualrevenue-1">Annual Revenue</label><input id="annualrevenue-1" name="annualrevenue"></div>
      <div class="hs_country"><label for="country-1">Country/Region</label><input id="country-1" name="country"></div>
      <input type="hidden" name="hs_context" value='{"pageUrl":"x"}'>
      <input type="submit" value="Submit"></form>`,
    fill: {
      '#firstname-1': 'Ada',
      '#lastname-1': 'Lovelace',
      '#email-1': 'ada@example.com',
      '#company-1': 'Analytical Engines',
      '#jobtitle-1': 'CTO',
      '#numemployees-1': '51-200',
      '#annualrevenue-1': '5000000',
      '#country-1': 'United Kingdom',
    },
    traits: {
      firstName: 'Ada',
      lastName: 'Lovelace',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      company: 'Analytical Engines',
      title: 'CTO',
      teamSize: '51-200',
      annualRevenue: '5000000',
      country: 'United Kingdom',
    },
  },
  {
    name: 'WordPress Contact Form 7',
    html: `<div class="wpcf7"><form action="/contact/#wpcf7-f5-p2-o1" method="post" class="wpcf7-form" novalidate>
      <div style="display:none"><input type="hidden" name="_wpcf7" value="5"><input type="hidden" name="_wpnonce" value="a1b2"></div>
      <p><label> Your name<br><span class="wpcf7-form-control-wrap"><input type="text" name="your-name" size="40"></span></label></p>
      <p><label> Your email<br><span class="wpcf7-form-control-wrap"><input type="email" name="your-email" size="40"></span></label></p>
      <p><label> Subject<br><span class="wpcf7-form-control-wrap"><input type="text" name="your-subject"></span></label></p>
      <p><label> Your message (optional)<br><textarea name="your-message"></textarea></label></p>
      <p><input type="submit" value="Submit" class="wpcf7-submit"></p></form></div>`,
    fill: {
      '[name=your-name]': 'Grace Hopper',
      '[name=your-email]': 'grace@navy.example',
      '[name=your-subject]': 'Demo',
      '[name=your-message]': 'Hello there',
    },
    traits: {
      name: 'Grace Hopper',
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@navy.example',
    },
  },
  {
    name: 'Mailchimp embed',
    html: `<div id="mc_embed_signup"><form action="https://example.us1.list-manage.com/subscribe/post?u=abc&amp;id=def" method="post" id="mc-embedded-subscribe-form" name="mc-embedded-subscribe-form" target="_blank">
      <div class="mc-field-group"><label for="mce-EMAIL">Email Address <span class="asterisk">*</span></label><input type="email" name="EMAIL" class="required email" id="mce-EMAIL"></div>
      <div class="mc-field-group"><label for="mce-FNAME">First Name </label><input type="text" name="FNAME" id="mce-FNAME"></div>
      <div class="mc-field-group"><label for="mce-LNAME">Last Name </label><input type="text" name="LNAME" id="mce-LNAME"></div>
      <div style="position:absolute;left:-5000px" aria-hidden="true"><input type="text" name="b_abc123_def456" tabindex="-1" value=""></div>
      <input type="submit" value="Subscribe" name="subscribe" id="mc-embedded-subscribe"></form></div>`,
    fill: { '#mce-EMAIL': 'linus@example.org', '#mce-FNAME': 'Linus', '#mce-LNAME': 'Torvalds' },
    traits: {
      email: 'linus@example.org',
      firstName: 'Linus',
      lastName: 'Torvalds',
      name: 'Linus Torvalds',
    },
  },
  {
    name: 'plain Chinese-labelled form',
    html: `<form id="contact-cn">
      <label for="f1">姓名：</label><input id="f1" name="f1">
      <label for="f2">电子邮件</label><input id="f2" name="f2">
      <label for="f3">公司</label><input id="f3" name="f3">
      <label for="f4">电话</label><input id="f4" name="f4">
      <label for="f5">职位</label><input id="f5" name="f5">
      <label for="f6">行业</label><select id="f6" name="f6"><option>软件</option><option>制造</option></select>
      <label>邮箱 <input name="q7"></label>
      <button>提交</button></form>`,
    fill: {
      '#f1': '张伟',
      '#f2': 'zhang.wei@example.cn',
      '#f3': '示例科技',
      '#f4': '13800138000',
      '#f5': '技术总监',
    },
    traits: {
      name: '张伟',
      lastName: '张',
      firstName: '伟',
      email: 'zhang.wei@example.cn',
      company: '示例科技',
      phone: '13800138000',
      title: '技术总监',
      industry: '软件',
    },
  },
]

describe('forms: field mapping over real-world markups', () => {
  it.each(MARKUPS)('$name', ({ html, fill: values, traits }) => {
    const ctx = mount(html)
    fill(values)
    submit()
    expect(ctx.identifies).toEqual([{ userId: undefined, traits }])
    expect(ctx.tracks).toHaveLength(1)
    expect(ctx.tracks[0]!.event).toBe('Form Submitted')
    expect(ctx.flushes).toEqual([{ beacon: true }])
  })

  it('reports form id, name, action, field names and values; keeps unknown fields as properties', () => {
    const ctx = mount(MARKUPS[1]!.html)
    fill(MARKUPS[1]!.fill)
    submit()
    const props = ctx.tracks[0]!.properties
    expect(props.formAction).toBe('/contact/#wpcf7-f5-p2-o1')
    expect(props.fields).toEqual(['your-name', 'your-email', 'your-subject', 'your-message'])
    expect(props.values).toMatchObject({ 'your-subject': 'Demo', 'your-message': 'Hello there' })
    const mc = mount(MARKUPS[2]!.html)
    fill(MARKUPS[2]!.fill)
    submit()
    expect(mc.tracks[0]!.properties).toMatchObject({
      formId: 'mc-embedded-subscribe-form',
      formName: 'mc-embedded-subscribe-form',
    })
  })

  it('uses autocomplete tokens when names say nothing', () => {
    const ctx = mount(
      `<form><input name="a" autocomplete="section-x given-name"><input name="b" autocomplete="shipping organization"><input name="c" type="tel"></form>`,
    )
    fill({ '[name=a]': 'Kim', '[name=b]': 'Acme', '[name=c]': '+1 415 555 0100' })
    submit()
    expect(ctx.identifies[0]!.traits).toEqual({
      firstName: 'Kim',
      name: 'Kim',
      company: 'Acme',
      phone: '+1 415 555 0100',
    })
  })

  it('ignores autocomplete tokens that only name built-in object members', () => {
    const ctx = mount(
      `<form><input name="company" autocomplete="constructor"><input name="email" autocomplete="toString"></form>`,
    )
    fill({ '[name=company]': 'Acme', '[name=email]': 'lee@example.com' })
    submit()
    expect(ctx.identifies[0]!.traits).toEqual({ company: 'Acme', email: 'lee@example.com' })
  })

  it('still captures when the page handler calls preventDefault (SPA forms)', () => {
    const ctx = mount(`<form><input type="email" name="email"></form>`)
    document.querySelector('form')!.addEventListener('submit', (e) => e.preventDefault())
    fill({ '[name=email]': 'spa@example.com' })
    submit()
    expect(ctx.tracks).toHaveLength(1)
  })

  it('sends no identify when no trait was found, but still the event', () => {
    const ctx = mount(`<form><input name="q"></form>`)
    fill({ '[name=q]': 'pricing' })
    submit()
    expect(ctx.identifies).toEqual([])
    expect(ctx.tracks[0]!.properties.values).toEqual({ q: 'pricing' })
  })
})

describe('forms: button-click path for forms that never fire submit', () => {
  it('captures a <div> form sent by a button click when it holds an email', () => {
    const ctx = mount(
      `<div class="signup"><input name="email" placeholder="Email"><button type="button">Join</button></div>`,
    )
    fill({ '[name=email]': 'click@example.com' })
    ;(document.querySelector('button') as HTMLButtonElement).click()
    expect(ctx.identifies[0]!.traits).toEqual({ email: 'click@example.com' })
    expect(ctx.tracks[0]!.event).toBe('Form Submitted')
  })

  it('counts a type="button" click followed by a scripted submit once', () => {
    const ctx = mount(
      `<form id="f"><input name="email" type="email"><button type="button">Go</button></form>`,
    )
    fill({ '[name=email]': 'once@example.com' })
    ;(document.querySelector('button') as HTMLButtonElement).click()
    submit()
    expect(ctx.tracks).toHaveLength(1)
  })

  it('ignores clicks that do not send an email (search boxes, toggles)', () => {
    const ctx = mount(`<div><input name="q"><button type="button">Search</button></div>`)
    fill({ '[name=q]': 'hello' })
    ;(document.querySelector('button') as HTMLButtonElement).click()
    expect(ctx.tracks).toEqual([])
  })

  it('leaves submit buttons of real forms to the submit event (one capture, not two)', () => {
    const ctx = mount(
      `<form><input name="email" type="email" value="x@example.com"><button>Send</button></form>`,
    )
    document.querySelector('form')!.addEventListener('submit', (e) => e.preventDefault())
    ;(document.querySelector('button') as HTMLButtonElement).click()
    expect(ctx.tracks.length).toBeLessThanOrEqual(1)
    submit()
    expect(ctx.tracks).toHaveLength(1)
  })
})

describe('forms: never captured', () => {
  it('passwords, hidden inputs and ignored fields', () => {
    const ctx = mount(`<form id="signup">
      <input type="email" name="email"><input type="password" name="password"><input type="password" name="confirm">
      <input type="hidden" name="csrf" value="t0k3n"><input name="nickname" data-lodestone-ignore>
      <div data-lodestone-ignore><input name="notes"></div></form>`)
    fill({
      '[name=email]': 'p@example.com',
      '[name=password]': 'hunter2-secret',
      '[name=confirm]': 'hunter2-secret',
      '[name=nickname]': 'pat',
      '[name=notes]': 'private',
    })
    submit()
    const text = JSON.stringify([ctx.tracks, ctx.identifies])
    expect(text).not.toMatch(/hunter2|t0k3n|pat"|private|password|csrf|nickname|notes/)
    expect(ctx.tracks[0]!.properties.fields).toEqual(['email'])
  })

  it('a whole form marked data-lodestone-ignore', () => {
    const ctx = mount(
      `<form data-lodestone-ignore><input type="email" name="email" value="a@b.co"></form>`,
    )
    submit()
    expect(ctx.tracks).toEqual([])
    expect(ctx.identifies).toEqual([])
  })

  it.each([
    ['a Luhn-valid card number', '4111 1111 1111 1111'],
    ['a dashed card number', '5500-0000-0000-0004'],
    ['a US SSN', '078-05-1120'],
    ['a Chinese resident id', '11010519491231002X'],
    ['a long digit-only id', '123456789012'],
  ])('%s in an innocently named field', (_, value) => {
    const ctx = mount(`<form><input name="reference"><input name="email" type="email"></form>`)
    fill({ '[name=reference]': value, '[name=email]': 'c@example.com' })
    submit()
    expect(JSON.stringify(ctx.tracks)).not.toContain(value)
    expect(ctx.tracks[0]!.properties.fields).toEqual(['email'])
  })

  it('fields named like cards, ids or secrets, whatever their value', () => {
    const ctx = mount(`<form>
      <input name="cc-number" autocomplete="cc-number"><input name="cvc"><input name="ssn"><label for="i">身份证号</label><input id="i" name="x1">
      <input name="otp" autocomplete="one-time-code"><input name="email" type="email"></form>`)
    fill({
      '[name=cc-number]': '4',
      '[name=cvc]': '123',
      '[name=ssn]': 'n/a',
      '[name=x1]': 'y',
      '[name=otp]': '9',
      '[name=email]': 'd@example.com',
    })
    submit()
    expect(ctx.tracks[0]!.properties.fields).toEqual(['email'])
  })

  it('keeps a short number that is not card- or id-like, and phone numbers in phone fields', () => {
    const ctx = mount(`<form><input name="phone"><input name="employees"></form>`)
    fill({ '[name=phone]': '4155550100', '[name=employees]': '250' })
    submit()
    expect(ctx.identifies[0]!.traits).toEqual({ phone: '4155550100', teamSize: '250' })
  })
})

describe('forms: lifecycle', () => {
  it('stops capturing after teardown', () => {
    const ctx = mount(`<form><input type="email" name="email" value="t@example.com"></form>`)
    teardown!()
    teardown = undefined
    submit()
    expect(ctx.tracks).toEqual([])
  })
})
