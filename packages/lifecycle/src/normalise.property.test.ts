import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normaliseCountry, normaliseTraits } from './normalise.js'

const realistic = fc.constantFrom(
  ' Ana@Example.COM ',
  'x@mailinator.com',
  'broken@',
  'USA',
  'Deutschland',
  'Atlantis',
  '(415) 555-2671',
  '+44 20 7946 0958',
  '030 1234567',
  '  Acme   Inc ',
  '',
)
const value = fc.oneof(realistic, fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null))
const traits = fc.record(
  {
    email: value,
    country: value,
    phone: value,
    company: value,
    address: fc.oneof(fc.record({ country: value }, { requiredKeys: [] }), value),
  },
  { requiredKeys: [] },
)

describe('normalisation properties', () => {
  it('never throws and is idempotent', () => {
    fc.assert(
      fc.property(traits, (input) => {
        const once = normaliseTraits(input)
        const twice = normaliseTraits(once.traits)
        expect(twice.traits).toEqual(once.traits)
        expect(twice.issues.map((i) => i.code)).toEqual(once.issues.map((i) => i.code))
      }),
      { numRuns: 300 },
    )
  })

  it('maps any string to a two-letter code or null', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const code = normaliseCountry(s)
        expect(code === null || /^[A-Z]{2}$/.test(code)).toBe(true)
      }),
    )
  })
})
