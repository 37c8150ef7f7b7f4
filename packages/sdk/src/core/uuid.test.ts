import { afterEach, describe, expect, it, vi } from 'vitest'
import { uuid } from './uuid.js'

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

afterEach(() => vi.restoreAllMocks())

describe('uuid', () => {
  it('uses crypto.randomUUID where the page has it', () => {
    vi.spyOn(crypto, 'randomUUID').mockReturnValue('11111111-2222-4333-8444-555555555555')
    expect(uuid()).toBe('11111111-2222-4333-8444-555555555555')
  })

  it('builds a v4 UUID from getRandomValues on insecure pages (no randomUUID)', () => {
    const c = crypto as { randomUUID?: unknown }
    const saved = c.randomUUID
    c.randomUUID = undefined
    try {
      const ids = Array.from({ length: 200 }, uuid)
      for (const id of ids) expect(id).toMatch(V4)
      expect(new Set(ids).size).toBe(ids.length)
      vi.spyOn(crypto, 'getRandomValues').mockImplementation(<T>(b: T) => {
        ;(b as Uint8Array).fill(255)
        return b
      })
      expect(uuid()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff')
    } finally {
      c.randomUUID = saved
    }
  })
})
