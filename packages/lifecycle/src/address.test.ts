import { describe, expect, it } from 'vitest'
import { normaliseCountry, normaliseTraits, listCountries, qualityReport } from './index.js'

describe('addresses', () => {
  it('checks postcodes against the country format and flags missing parts', () => {
    const { traits, issues } = normaliseTraits({
      address: { street: '1 Main St', city: '', postalCode: 'ABCDE', country: 'United States' },
    })
    expect(traits.address).toMatchObject({ country: 'US', city: '' })
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['address.postalCode', 'invalid_postcode'],
      ['address.city', 'missing_address_part'],
    ])
  })

  it('accepts and tidies valid postcodes (the contact country applies when the address has none)', () => {
    const gb = normaliseTraits({
      country: 'UK',
      address: { street: '10 Downing St', city: ' London ', postalCode: 'sw1a   2aa' },
    })
    expect(gb.issues).toEqual([])
    expect(gb.traits.address).toEqual({
      street: '10 Downing St',
      city: 'London',
      postalCode: 'SW1A 2AA',
    })
    const cn = normaliseTraits({
      address: { street: '长安街 1 号', city: '北京', postalCode: '100000', country: '中国' },
    })
    expect(cn.issues).toEqual([])
    expect(
      normaliseTraits({ address: { street: 'x', city: 'y', country: 'DE', postalCode: '1234' } })
        .issues[0]?.code,
    ).toBe('invalid_postcode')
    // A country without postcodes needs none.
    expect(
      normaliseTraits({ address: { street: 'x', city: 'Dublin 2', country: 'Hong Kong' } }).issues,
    ).toEqual([])
  })

  it('lists address findings in the quality report', () => {
    const report = qualityReport([
      {
        id: 'a',
        traits: { email: 'a@x.io', company: 'X', address: { city: 'Paris', country: 'FR' } },
      },
    ])
    expect(report.complete).toBe(0)
    expect(report.invalid[0]!.issues.map((i) => i.path).sort()).toEqual([
      'address.postalCode',
      'address.street',
    ])
  })
})

describe('country names in English and Chinese', () => {
  it('recognises every ISO 3166 country by its English and Chinese names', () => {
    for (const locale of ['en', 'zh-Hans', 'zh-Hant']) {
      const names = new Intl.DisplayNames([locale], { type: 'region' })
      for (const c of listCountries()) {
        const name = names.of(c.alpha2)!
        expect([name, normaliseCountry(name)]).toEqual([name, c.alpha2])
      }
    }
  })

  it('knows the names and abbreviations people type', () => {
    const cases: Record<string, string> = {
      美国: 'US',
      德国: 'DE',
      英国: 'GB',
      韩国: 'KR',
      法国: 'FR',
      日本: 'JP',
      香港: 'HK',
      台湾: 'TW',
      阿联酋: 'AE',
      美國: 'US',
      USA: 'US',
      UK: 'GB',
      UAE: 'AE',
      'U.A.E.': 'AE',
      KSA: 'SA',
      'South Korea': 'KR',
    }
    for (const [name, code] of Object.entries(cases))
      expect([name, normaliseCountry(name)]).toEqual([name, code])
  })
})
