import { describe, expect, it } from 'vitest'
import { pagePath } from './page-path.js'

describe('pagePath', () => {
  it('takes properties.path, else the path of properties.url, else the page context', () => {
    expect(pagePath('page', { properties: { path: '/pricing', url: 'https://a.io/x' } })).toBe(
      '/pricing',
    )
    expect(pagePath('page', { properties: { url: 'https://a.io/docs/start?utm=x#top' } })).toBe(
      '/docs/start',
    )
    expect(pagePath('screen', { context: { page: { path: '/app/home' } } })).toBe('/app/home')
    expect(pagePath('page', { context: { page: { url: 'https://a.io/价格' } } })).toBe(
      '/%E4%BB%B7%E6%A0%BC',
    )
  })

  it('never a query string, fragment or other scheme; nothing for other events', () => {
    expect(pagePath('page', { properties: { path: '/reset?token=secret' } })).toBe('/reset')
    expect(pagePath('page', { properties: { url: 'javascript:alert(1)' } })).toBeNull()
    expect(pagePath('page', { properties: { url: 'not a url' } })).toBeNull()
    expect(pagePath('page', { properties: { path: 42 } })).toBeNull()
    expect(pagePath('page', null)).toBeNull()
    expect(pagePath('track', { properties: { path: '/pricing' } })).toBeNull()
    expect(pagePath('identify', { context: { page: { path: '/x' } } })).toBeNull()
  })

  it('at most 200 characters', () => {
    const path = pagePath('page', { properties: { path: `/${'a'.repeat(500)}` } })!
    expect(path).toHaveLength(200)
    expect(path.endsWith('…')).toBe(true)
  })
})
