import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  companyKey,
  editDistance,
  nameKey,
  qualityAccumulator,
  qualityReport,
  type QualityContact,
} from './quality.js'

describe('match keys', () => {
  it.each([
    ['Acme Inc.', 'acme'],
    ['ACME, Inc', 'acme'],
    ['Acme Co., Ltd.', 'acme'],
    ['The Acme Company', 'acme'],
    ['Müller & Söhne GmbH', 'muller and sohne'],
    ['Straße AG', 'strasse'],
    ['Société Générale SA', 'societe generale'],
    ['Inc', 'inc'],
    ['  ', ''],
  ])('company %s → %s', (input, key) => {
    expect(companyKey(input)).toBe(key)
  })

  it('folds names and ignores word order', () => {
    expect(nameKey('José  García')).toBe(nameKey('garcia, JOSE'))
    expect(nameKey("O'Brien, Seán")).toBe('obrien sean')
  })

  it('computes bounded edit distance', () => {
    expect(editDistance('kitten', 'sitting', 5)).toBe(3)
    expect(editDistance('kitten', 'sitting', 1)).toBe(2)
    expect(editDistance('abc', 'abc', 0)).toBe(0)
    expect(editDistance('', 'abcd', 2)).toBe(3)
  })
})

describe('quality report', () => {
  const contacts = [
    { id: 'c1', traits: { name: 'Ana López', email: 'ana@acme.com', company: 'Acme Inc' } },
    { id: 'c2', traits: { firstName: 'ana', lastName: 'lopez', company: 'ACME' } },
    { id: 'c3', traits: { name: 'Ana Lopes', email: 'al@acme.com', company: 'acme ltd.' } },
    { id: 'c4', traits: { name: 'Ana López', email: 'ana@other.io', company: 'Other GmbH' } },
    { id: 'c5', traits: { name: 'Bob Stone', email: 'bob@mailinator.com', company: 'Acme' } },
    { id: 'c6', traits: { email: 'broken@', country: 'Atlantis' } },
    { id: 'c7', traits: { name: 'Al Li', email: 'al@x.io', company: 'X' } },
    { id: 'c8', traits: { name: 'Al Lo', email: 'lo@x.io', company: 'X' } },
  ]

  it('lists missing e-mail and company', () => {
    const r = qualityReport(contacts)
    expect(r.total).toBe(8)
    expect(r.missingEmail).toEqual(['c2'])
    expect(r.missingCompany).toEqual(['c6'])
  })

  it('lists invalid values with their issues and counts complete contacts', () => {
    const r = qualityReport(contacts)
    expect(r.invalid.map((i) => [i.id, i.issues.map((x) => x.code)])).toEqual([
      ['c5', ['disposable_email']],
      ['c6', ['invalid_email', 'unknown_country']],
    ])
    expect(r.complete).toBe(5) // c1, c3, c4, c7, c8
  })

  it('suspects duplicates by similar name at the same company, not across companies', () => {
    const r = qualityReport(contacts)
    // c3 is one letter away; c4 is another company; short names need an exact match.
    expect(r.duplicates).toEqual([{ company: 'acme', contactIds: ['c1', 'c2', 'c3'] }])
  })

  it('only groups exact names in very large companies', () => {
    const r = qualityReport(contacts, { maxFuzzyGroup: 2 })
    expect(r.duplicates).toEqual([{ company: 'acme', contactIds: ['c1', 'c2'] }])
  })

  it('handles an empty list', () => {
    expect(qualityReport([])).toEqual({
      total: 0,
      missingEmail: [],
      missingCompany: [],
      invalid: [],
      duplicates: [],
      complete: 0,
    })
  })
})

describe('qualityAccumulator', () => {
  it('a page at a time gives the report of the whole list, however it is split', async () => {
    const names = ['Ana López', 'ana lopez', 'Wei Sato', 'Wei Satoo', '', 'Li Na']
    const companies = ['Acme Inc', 'ACME', 'Globex', '', '北京科技有限公司']
    const emails = ['a@acme.example', 'not an email', '', 'x@mailinator.com']
    const contact = fc
      .record({
        name: fc.constantFrom(...names),
        company: fc.constantFrom(...companies),
        email: fc.constantFrom(...emails),
        country: fc.constantFrom('Deutschland', 'Atlantis', undefined),
      })
      .map((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)))
    await fc.assert(
      fc.asyncProperty(
        fc.array(contact, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 5 }),
        async (traits, cuts) => {
          const contacts: QualityContact[] = traits.map((t, i) => ({ id: `c${i}`, traits: t }))
          const q = qualityAccumulator()
          let from = 0
          for (const cut of [...cuts].sort((a, b) => a - b).concat(contacts.length)) {
            q.add(contacts.slice(from, Math.max(from, cut)))
            from = Math.max(from, cut)
          }
          expect(q.finish()).toEqual(qualityReport(contacts))
          // …and so does the sliced finish, on a fresh accumulator of the same pages.
          const sliced = qualityAccumulator()
          sliced.add(contacts)
          expect(await sliced.finishInSlices(0)).toEqual(qualityReport(contacts))
        },
      ),
      { numRuns: 200 },
    )
  })
})
