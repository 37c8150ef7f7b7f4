import fc from 'fast-check'
import { checkEmail } from '@lodestone/lifecycle'
import type { SegmentEvent } from '@lodestone/protocol'
import { describe, expect, it } from 'vitest'
import { identifiersOf } from './identifiers.js'

// One rule for e-mail addresses (docs/identity.md): an address links contacts exactly when the
// data-quality report calls it valid (checkEmail in @lodestone/lifecycle).

const identify = (email: unknown) =>
  ({
    type: 'identify',
    messageId: 'm1',
    anonymousId: 'a-1',
    traits: { email },
  }) as unknown as SegmentEvent

const linkedEmail = (email: unknown) =>
  identifiersOf(identify(email)).ids.find((i) => i.kind === 'email')?.value ?? null

describe('identifiersOf: e-mail', () => {
  it('links a valid address in its normalised form', () => {
    expect(linkedEmail('  Grace@Example.COM ')).toBe('grace@example.com')
    expect(linkedEmail('ana+news@mail.example.co.uk')).toBe('ana+news@mail.example.co.uk')
  })

  it('does not link an address the quality report calls invalid', () => {
    for (const bad of ['a..b@example.com', 'ana@example.c0m', '.ana@example.com', 'ana@-x.com']) {
      expect(checkEmail(bad).valid).toBe(false)
      expect(linkedEmail(bad)).toBeNull()
    }
    expect(linkedEmail(42)).toBeNull()
  })

  it('agrees with the quality report on any string', () => {
    const local = fc.stringMatching(/^[a-z0-9.+_-]{0,12}$/)
    const host = fc.stringMatching(/^[a-z0-9.-]{0,12}$/)
    const address = fc.oneof(
      fc.string(),
      fc.tuple(local, host).map(([l, h]) => `${l}@${h}`),
    )
    fc.assert(
      fc.property(address, (s) => {
        const check = checkEmail(s)
        expect(linkedEmail(s)).toBe(check.valid ? check.email : null)
      }),
      { numRuns: 2000 },
    )
  })
})
