import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64Url, encodeBase64Url } from './base64url.js'
import { decodeCursor, encodeCursor } from './adapters/postgres/cursor.js'

describe('base64url', () => {
  it('encodes RFC 4648 test vectors without padding, in the URL-safe alphabet', () => {
    const enc = (s: string) => encodeBase64Url(new TextEncoder().encode(s))
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc)).toEqual([
      '',
      'Zg',
      'Zm8',
      'Zm9v',
      'Zm9vYg',
      'Zm9vYmE',
      'Zm9vYmFy',
    ])
    expect(encodeBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8')
  })

  it('round-trips any bytes, with or without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = encodeBase64Url(bytes)
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/)
        expect(decodeBase64Url(text)).toEqual(bytes)
        expect(decodeBase64Url(text + '='.repeat((4 - (text.length % 4)) % 4))).toEqual(bytes)
      }),
    )
  })

  it('carries cursors with any text, and refuses a tampered one', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer(), (s, n) => {
        expect(decodeCursor(encodeCursor([s, n]), 2)).toEqual([s, n])
      }),
    )
    expect(() => decodeCursor('not*base64', 2)).toThrow(/Invalid cursor/)
    expect(() => decodeCursor(encodeCursor(['a']), 2)).toThrow(/Invalid cursor/)
  })
})
