import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileGlob } from './glob.js'

/** Reference semantics by dynamic programming over (glob position, text position). */
function reference(glob: string, text: string): boolean {
  const g = glob.toLowerCase()
  const t = text.toLowerCase()
  let row = new Array<boolean>(t.length + 1).fill(false)
  row[0] = true
  for (const ch of g) {
    const next = new Array<boolean>(t.length + 1).fill(false)
    for (let j = 0; j <= t.length; j++) {
      if (ch === '*') next[j] = row[j]! || (j > 0 && next[j - 1]!)
      else next[j] = j > 0 && row[j - 1]! && (ch === '?' || ch === t[j - 1])
    }
    row = next
  }
  return row[t.length]!
}

describe('URL globs', () => {
  it('match the whole URL, case-insensitively; * any run (slashes too), ? one character', () => {
    const pricing = compileGlob('*/pricing*')
    expect(pricing('https://acme.io/Pricing?plan=pro')).toBe(true)
    expect(pricing('/pricing')).toBe(true)
    expect(pricing('https://acme.io/price')).toBe(false)
    expect(compileGlob('*/pricing')('https://acme.io/pricing?x')).toBe(false)
    expect(compileGlob('https://acme.io/pric?ng*')('https://acme.io/pricing/x')).toBe(true)
    expect(compileGlob('/a?c')('/abbc')).toBe(false)
    expect(compileGlob('*')('')).toBe(true)
    expect(compileGlob('**a**')('xay')).toBe(true)
    expect(compileGlob('exact')('EXACT')).toBe(true)
    expect(compileGlob('exact')('exactly')).toBe(false)
    // Regex metacharacters are plain text in a glob.
    expect(compileGlob('*/a.b(c)+*')('/a.b(c)+/')).toBe(true)
    expect(compileGlob('*/a.b*')('/axb')).toBe(false)
  })

  it('answers the pathological globs of issue 14 on long URLs at once', () => {
    const stars = compileGlob('*a*a*a*a*a*a*a*a*a*a*a*a*b')
    expect(stars('a'.repeat(64))).toBe(false)
    expect(stars('a'.repeat(4096))).toBe(false)
    expect(stars('a'.repeat(4095) + 'b')).toBe(true)
    const blog = compileGlob('*/blog/*/*/*/*/*/*/*/*/*/*/*/x*')
    expect(blog('https://acme.io' + '/blog'.repeat(800))).toBe(false)
    expect(blog('https://acme.io/blog' + '/b'.repeat(11) + '/x')).toBe(true)
    expect(blog('https://acme.io/blog' + '/b'.repeat(10) + '/x')).toBe(false)
  })

  it('agrees with the reference on short globs and texts', () => {
    const chars = fc.constantFrom('a', 'b', 'A', '/', '.')
    const glob = fc.array(fc.oneof(chars, fc.constantFrom('*', '?')), { maxLength: 8 })
    const text = fc.array(chars, { maxLength: 12 })
    fc.assert(
      fc.property(glob, text, (g, t) => {
        expect(compileGlob(g.join(''))(t.join(''))).toBe(reference(g.join(''), t.join('')))
      }),
      { numRuns: 3000 },
    )
  })
})
