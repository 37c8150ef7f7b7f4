import { describe, expect, it } from 'vitest'
import {
  checkEmail,
  checkPhone,
  isDisposableDomain,
  listCountries,
  normaliseCountry,
  normaliseTraits,
} from './normalise.js'

describe('countries', () => {
  it('lists all 249 ISO 3166-1 countries with unique codes', () => {
    const all = listCountries()
    expect(all).toHaveLength(249)
    expect(new Set(all.map((c) => c.alpha2)).size).toBe(249)
    expect(new Set(all.map((c) => c.alpha3)).size).toBe(249)
    for (const c of all) {
      expect(c.alpha2).toMatch(/^[A-Z]{2}$/)
      expect(c.alpha3).toMatch(/^[A-Z]{3}$/)
    }
  })

  it('maps every English name, alpha-3 and alpha-2 code back to its alpha-2 code', () => {
    for (const c of listCountries()) {
      expect([c.name, normaliseCountry(c.name)]).toEqual([c.name, c.alpha2])
      expect(normaliseCountry(c.name.toUpperCase())).toBe(c.alpha2)
      expect(normaliseCountry(c.alpha3)).toBe(c.alpha2)
      expect(normaliseCountry(c.alpha2.toLowerCase())).toBe(c.alpha2)
    }
  })

  it.each([
    ['USA', 'US'],
    ['U.S.A.', 'US'],
    ['U.S.', 'US'],
    ['United States of America', 'US'],
    ['  united   states ', 'US'],
    ['The United States', 'US'],
    ['UK', 'GB'],
    ['Great Britain', 'GB'],
    ['England', 'GB'],
    ['Deutschland', 'DE'],
    ['中国', 'CN'],
    ['日本', 'JP'],
    ['대한민국', 'KR'],
    ['South Korea', 'KR'],
    ['Korea, Republic of', 'KR'],
    ['Россия', 'RU'],
    ['Russian Federation', 'RU'],
    ['Holland', 'NL'],
    ['The Netherlands', 'NL'],
    ['Czech Republic', 'CZ'],
    ['Ivory Coast', 'CI'],
    ["Cote d'Ivoire", 'CI'],
    ['Côte d’Ivoire', 'CI'],
    ['Turkey', 'TR'],
    ['Türkiye', 'TR'],
    ['UAE', 'AE'],
    ['Vietnam', 'VN'],
    ['España', 'ES'],
    ['Espana', 'ES'],
    ['México', 'MX'],
    ['Brasil', 'BR'],
    ['Österreich', 'AT'],
    ['St. Lucia', 'LC'],
    ['Saint Kitts & Nevis', 'KN'],
    ['Bosnia-Herzegovina', 'BA'],
    ['Guinea Bissau', 'GW'],
    ['Swaziland', 'SZ'],
    ['Burma', 'MM'],
    ['DR Congo', 'CD'],
  ])('%s → %s', (input, code) => {
    expect(normaliseCountry(input)).toBe(code)
  })

  it.each(['Atlantis', '', 'XX', 'constructor', '__proto__', 'U', 'x'.repeat(500)])(
    '%s is unknown',
    (input) => {
      expect(normaliseCountry(input)).toBeNull()
    },
  )
})

describe('e-mail', () => {
  it.each([
    ['  Ana.Lopez@Example.COM ', 'ana.lopez@example.com'],
    ['a+tag@sub.example.co.uk', 'a+tag@sub.example.co.uk'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['user@xn--bcher-kva.ch', 'user@xn--bcher-kva.ch'],
    ['user@bücher.ch', 'user@bücher.ch'],
  ])('%s is valid as %s', (input, email) => {
    expect(checkEmail(input)).toEqual({ email, valid: true, disposable: false })
  })

  it.each([
    'plainaddress',
    '@example.com',
    'a@',
    'a@b',
    'a@b.c',
    'a..b@example.com',
    '.a@example.com',
    'a.@example.com',
    'a b@example.com',
    'a@-example.com',
    'a@example-.com',
    'a@exa_mple.com',
    'a@example..com',
    'a@@example.com',
    'a@example.com.',
    'a@123.456',
    `${'a'.repeat(65)}@example.com`,
    `a@${'b'.repeat(250)}.com`,
  ])('%s is invalid', (input) => {
    expect(checkEmail(input).valid).toBe(false)
  })

  it('flags disposable domains and their subdomains', () => {
    expect(checkEmail('x@Mailinator.com').disposable).toBe(true)
    expect(isDisposableDomain('eu.yopmail.com')).toBe(true)
    expect(isDisposableDomain('guerrillamail.com.')).toBe(true)
    expect(isDisposableDomain('mailinator.com.example')).toBe(false)
    for (const real of ['gmail.com', 'outlook.com', 'qq.com', '163.com'])
      expect(isDisposableDomain(real)).toBe(false)
    expect(isDisposableDomain('com')).toBe(false)
  })
})

describe('phone', () => {
  it.each([
    ['(415) 555-2671', 'US', '+14155552671'],
    ['+1 415 555 2671', null, '+14155552671'],
    ['+44 20 7946 0958', 'DE', '+442079460958'],
    ['0044 20 7946 0958', null, '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['030 1234567', 'DE', '+49301234567'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
  ])('%s in %s → %s', (input, country, e164) => {
    const r = checkPhone(input, country)
    expect(r.ok && r.e164).toBe(e164)
  })

  it('needs a country for national numbers and rejects nonsense', () => {
    expect(checkPhone('415 555 2671')).toEqual({ ok: false, reason: 'phone_country_unknown' })
    expect(checkPhone('415 555 2671', 'ZZ')).toEqual({ ok: false, reason: 'phone_country_unknown' })
    expect(checkPhone('12345', 'US')).toEqual({ ok: false, reason: 'invalid_phone' })
    expect(checkPhone('call me', 'US')).toEqual({ ok: false, reason: 'invalid_phone' })
    expect(checkPhone('', 'US')).toEqual({ ok: false, reason: 'invalid_phone' })
    expect(checkPhone('9'.repeat(100), 'US')).toEqual({ ok: false, reason: 'invalid_phone' })
  })
})

describe('normaliseTraits', () => {
  it('normalises e-mail, countries, phone and names without mutating the input', () => {
    const input = {
      email: ' Ana@Example.COM ',
      country: 'United States of America',
      phone: '(415) 555-2671',
      firstName: '  Ana  ',
      company: 'Acme   Inc ',
      address: {
        street: 'Unter den Linden 1',
        city: 'Berlin',
        postalCode: '10117',
        country: 'Deutschland',
      },
      plan: 'pro',
    }
    const frozen = structuredClone(input)
    const { traits, issues } = normaliseTraits(input)
    expect(traits).toEqual({
      email: 'ana@example.com',
      country: 'US',
      phone: '+14155552671',
      firstName: 'Ana',
      company: 'Acme Inc',
      address: { street: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE' },
      plan: 'pro',
    })
    expect(issues).toEqual([])
    expect(input).toEqual(frozen)
  })

  it('uses the address country for the phone when there is no top-level country', () => {
    const { traits } = normaliseTraits({ phone: '030 1234567', address: { country: 'Germany' } })
    expect(traits.phone).toBe('+49301234567')
  })

  it('flags, but keeps, invalid and suspicious values', () => {
    const { traits, issues } = normaliseTraits({
      email: 'Someone@Mailinator.com',
      country: ' Atlantis ',
      phone: '555 1234',
    })
    expect(traits).toEqual({
      email: 'someone@mailinator.com',
      country: 'Atlantis',
      phone: '555 1234',
    })
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['email', 'disposable_email'],
      ['country', 'unknown_country'],
      ['phone', 'phone_country_unknown'],
    ])
    const bad = normaliseTraits({ email: 'not-an-email', phone: '1', country: 'US' })
    expect(bad.issues.map((i) => i.code)).toEqual(['invalid_email', 'invalid_phone'])
    expect(normaliseTraits({ email: 42 }).issues.map((i) => i.code)).toEqual(['invalid_email'])
  })

  it('leaves traits it does not know, and empty values, alone', () => {
    const input = { email: null, country: '', phone: ' ', address: 'somewhere', tags: ['a'] }
    expect(normaliseTraits(input)).toEqual({ traits: input, issues: [] })
  })

  it('keeps an own __proto__ trait as data without touching prototypes', () => {
    const { traits } = normaliseTraits(
      JSON.parse('{"__proto__": {"polluted": 1}, "country": "uk"}'),
    )
    expect(traits.country).toBe('GB')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
