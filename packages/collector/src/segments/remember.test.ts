import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { remember } from './compile.js'

// A count condition's memory (compile.ts): the latest `keep` event times, sorted. `remember`
// builds the new list in one array; this checks it against the plain definition and that the
// stored list it was given is never changed (the ingest write compares against it).

const reference = (times: number[], at: number, keep: number) =>
  [...times, at].sort((a, b) => a - b).slice(-keep)

describe('remember', () => {
  it('keeps the latest `keep` times, sorted, and never changes its input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 12 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 8 }),
        (raw, at, keep) => {
          // a stored memory: sorted, at most `keep` long (or longer, from an older condition)
          const stored = [...raw].sort((a, b) => a - b)
          const copy = [...stored]
          const out = remember(stored, at, keep)
          expect(stored).toEqual(copy)
          const want = reference(stored, at, keep)
          if (stored.length >= keep && at <= stored[0]!) expect(out).toBe(stored)
          else expect(out).toEqual(want)
        },
      ),
    )
  })

  it('starts a memory from nothing', () => {
    expect(remember(undefined, 5, 3)).toEqual([5])
  })
})
