import { describe, expect, it } from 'vitest'
import { csrfToken, newNonce, readSession, signSession, verifySession } from './session.js'

const KEY = 'hash-of-the-secret-key'
const NOW = 1_800_000_000_000

describe('dashboard session tokens', () => {
  it('verifies its own token until it expires', async () => {
    const claims = { workspaceId: 'ws_1', expiresAt: NOW + 1000, nonce: newNonce() }
    const token = await signSession(KEY, claims)
    expect(await verifySession(token, KEY, NOW)).toEqual(claims)
    expect(await verifySession(token, KEY, NOW + 1000)).toBeNull()
    expect(await verifySession(token, 'another-key', NOW)).toBeNull()
  })

  it('rejects any change to a signed token', async () => {
    const token = await signSession(KEY, { workspaceId: 'ws_1', expiresAt: NOW + 1000, nonce: 'n' })
    const parts = token.split('.')
    for (let i = 1; i < parts.length; i++) {
      const changed = [...parts]
      changed[i] = changed[i] + 'x'
      expect(await verifySession(changed.join('.'), KEY, NOW), `part ${i}`).toBeNull()
    }
  })

  it('reads nothing from malformed tokens', () => {
    for (const bad of [
      undefined,
      '',
      'v1',
      'v2.ws.1.n.sig',
      'v1.ws.soon.n.sig',
      'v1.ws.1.n.sig.x',
      'x'.repeat(600),
    ])
      expect(readSession(bad)).toBeNull()
  })

  it('derives a different CSRF token per session and per key', async () => {
    const a = await csrfToken(KEY, 'nonce-a')
    expect(a).toBe(await csrfToken(KEY, 'nonce-a'))
    expect(a).not.toBe(await csrfToken(KEY, 'nonce-b'))
    expect(a).not.toBe(await csrfToken('another-key', 'nonce-a'))
    expect(newNonce()).not.toBe(newNonce())
  })
})
