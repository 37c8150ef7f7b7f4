import { describe, expect, it } from 'vitest'
import { checkDeliveryUrl, checkWebhookUrl, isPrivateAddress } from './url-guard.js'

const refused = (url: string) => checkWebhookUrl(url)

describe('webhook URL guard', () => {
  it('refuses private, loopback and link-local IPv4 literals', () => {
    for (const ip of [
      '127.0.0.1',
      '127.255.0.9',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.254',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
    ]) {
      expect(refused(`http://${ip}/hook`), ip).toMatch(/private or loopback/)
    }
  })

  it('accepts public IPv4 literals next to the private ranges', () => {
    for (const ip of ['8.8.8.8', '172.15.255.255', '172.32.0.1', '192.169.0.1', '169.255.0.1']) {
      expect(refused(`https://${ip}/hook`), ip).toBeNull()
    }
  })

  it('refuses IPv6 loopback, unique-local, link-local and IPv4-mapped internal addresses', () => {
    for (const host of [
      '[::1]',
      '[::]',
      '[fc00::1]',
      '[fd12:3456::1]',
      '[fe80::1]',
      '[::ffff:127.0.0.1]',
      '[::ffff:169.254.169.254]',
      '[::ffff:a00:1]', // 10.0.0.1
    ]) {
      expect(refused(`http://${host}:8080/hook`), host).toMatch(/private or loopback/)
    }
    expect(refused('http://[2001:db8::1]/hook')).toBeNull()
    expect(refused('http://[::ffff:8.8.8.8]/hook')).toBeNull()
  })

  it('refuses internal IPv4 addresses embedded in NAT64, 6to4, Teredo and IPv4-compatible forms', () => {
    for (const host of [
      '[64:ff9b::7f00:1]', // NAT64 of 127.0.0.1
      '[64:ff9b::a9fe:a9fe]', // NAT64 of 169.254.169.254 (cloud metadata)
      '[64:ff9b::10.0.0.1]',
      '[64:ff9b:1::8.8.8.8]', // local-use NAT64 prefix: only the operator's network
      '[2002:c0a8:101::1]', // 6to4 of 192.168.1.1
      '[2002:7f00:1::]', // 6to4 of 127.0.0.1
      '[2001:0:a00:1::1]', // Teredo with server 10.0.0.1
      '[2001:0:808:808::3f57:fefe]', // Teredo, client 192.168.1.1 (obfuscated)
      '[::ffff:0:a00:1]', // IPv4-translated 10.0.0.1
      '[::a9fe:a9fe]', // IPv4-compatible 169.254.169.254
    ]) {
      expect(refused(`http://${host}/hook`), host).toMatch(/private or loopback/)
    }
    for (const host of ['[64:ff9b::808:808]', '[2002:808:808::1]', '[::808:808]']) {
      expect(refused(`https://${host}/hook`), host).toBeNull()
    }
  })

  it('sees through decimal, octal and hex host forms (normalised by the URL parser)', () => {
    for (const url of [
      'http://2130706433/', // 127.0.0.1
      'http://0x7f.1/', // 127.0.0.1
      'http://0177.0.0.1/', // 127.0.0.1
      'http://017700000001/', // 127.0.0.1
      'http://127.1/',
      'http://0xa9.0xfe.0xa9.0xfe/', // 169.254.169.254
      'http://3232235777/', // 192.168.1.1
    ]) {
      expect(refused(url), url).toMatch(/private or loopback/)
    }
  })

  it('refuses localhost names and non-http schemes', () => {
    for (const url of [
      'http://localhost/',
      'http://LOCALHOST:3000/',
      'http://localhost./',
      'http://api.localhost/',
    ]) {
      expect(refused(url), url).toMatch(/private or loopback/)
    }
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://x/', 'javascript:1']) {
      expect(refused(url), url).toMatch(/scheme/)
    }
    expect(refused('not a url')).toBe('not a valid URL')
    expect(refused('https://hooks.example.com/x')).toBeNull()
  })

  it('allows internal targets only with allowPrivate, and never other schemes', () => {
    expect(checkWebhookUrl('http://127.0.0.1:9/hook', { allowPrivate: true })).toBeNull()
    expect(checkWebhookUrl('http://169.254.169.254/', { allowPrivate: true })).toBeNull()
    expect(checkWebhookUrl('ftp://127.0.0.1/', { allowPrivate: true })).toMatch(/scheme/)
  })

  it('checks every address a name resolves to at delivery time', async () => {
    const resolvesTo =
      (...addresses: string[]) =>
      async () =>
        addresses.map((address) => ({ address }))
    const url = 'https://hooks.example.com/x'
    expect(await checkDeliveryUrl(url, { lookup: resolvesTo('93.184.216.34') })).toBeNull()
    expect(
      await checkDeliveryUrl(url, { lookup: resolvesTo('93.184.216.34', '10.0.0.5') }),
    ).toMatch(/resolves to a private/)
    expect(await checkDeliveryUrl(url, { lookup: resolvesTo('fd00::5') })).toMatch(/private/)
    expect(
      await checkDeliveryUrl(url, { lookup: resolvesTo('10.0.0.5'), allowPrivate: true }),
    ).toBeNull()
    // A literal is judged without resolving; an unresolvable name is left to fail at fetch.
    const never = async () => {
      throw new Error('no lookup expected')
    }
    expect(await checkDeliveryUrl('http://127.0.0.1/', { lookup: never })).toMatch(/private/)
    expect(await checkDeliveryUrl('http://8.8.8.8/', { lookup: never })).toBeNull()
    expect(await checkDeliveryUrl(url, { lookup: never })).toBeNull()
  })

  it('resolves localhost through the real resolver', async () => {
    // node:dns on this machine: "localhost" is loopback by /etc/hosts.
    expect(isPrivateAddress('127.0.0.1')).toBe(true)
    expect(await checkDeliveryUrl('http://localhost/')).toMatch(/private or loopback/)
  })
})
