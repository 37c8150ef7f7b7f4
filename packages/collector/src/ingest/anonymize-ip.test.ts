import { describe, expect, it } from 'vitest'
import { anonymizeIp } from './enrich.js'

// The documented rule (README, LODESTONE_ANONYMIZE_IP): IPv4 keeps its /24, IPv6 its /48, an
// IPv4-mapped IPv6 address is an IPv4 address, and anything that is not an address is dropped.

describe('anonymizeIp', () => {
  it('keeps the /24 of an IPv4 address', () => {
    expect(anonymizeIp('203.0.113.77')).toBe('203.0.113.0')
    expect(anonymizeIp('10.1.2.3')).toBe('10.1.2.0')
  })

  it('keeps the /48 of an IPv6 address, in canonical form', () => {
    expect(anonymizeIp('2001:db8::1')).toBe('2001:db8::')
    expect(anonymizeIp('2001:db8:85a3:1234:5678:8a2e:370:7334')).toBe('2001:db8:85a3::')
    expect(anonymizeIp('2001:DB8:85A3:0:0:0:0:1')).toBe('2001:db8:85a3::')
    expect(anonymizeIp('fe80::1%eth0')).toBe('fe80::')
  })

  it('anonymises loopback like any address', () => {
    expect(anonymizeIp('::1')).toBe('::')
    expect(anonymizeIp('127.0.0.1')).toBe('127.0.0.0')
  })

  it('treats an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(anonymizeIp('::ffff:203.0.113.9')).toBe('203.0.113.0')
    expect(anonymizeIp('::ffff:cb00:7109')).toBe('203.0.113.0')
  })

  it('drops what is not an address rather than store it', () => {
    for (const junk of ['', 'localhost', 'ana@example.com', '1.2.3', '1.2.3.4.5', ':::'])
      expect(anonymizeIp(junk)).toBeNull()
  })
})
