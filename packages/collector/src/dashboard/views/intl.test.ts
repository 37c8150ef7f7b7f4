import { describe, expect, it } from 'vitest'
import { fmtFor } from './intl.js'
import { When } from './when.js'

// The table formats of views/intl.ts: a date on one short line (the year only when it is not
// the current one), its full form for titles, money without cents from 1,000 up.
const html = async (node: unknown) =>
  node == null ? '' : String(await (node as { toString(): unknown }).toString())
const now = new Date('2026-12-07T16:00:00Z')

describe('table dates', () => {
  const en = fmtFor('en', 'UTC')
  const zh = fmtFor('zh-CN', 'UTC')

  it('within the current year: month, day and time; otherwise the day with its year', () => {
    expect(en.short('2026-12-07T04:30:00Z', now)).toBe('Dec 7, 04:30')
    expect(zh.short('2026-12-07T04:30:00Z', now)).toBe('12月7日 04:30')
    expect(en.short('2025-11-18T04:30:00Z', now)).toBe('Nov 18, 2025')
    expect(zh.short('2025-11-18T04:30:00Z', now)).toBe('2025年11月18日')
    expect(en.short('2027-01-02T00:00:00Z', now)).toBe('Jan 2, 2027')
    // Dates, epoch milliseconds and strings alike.
    expect(en.short(new Date('2026-03-01T09:05:00Z'), now)).toBe('Mar 1, 09:05')
    expect(zh.short(Date.parse('2026-03-01T09:05:00Z'), now)).toBe('3月1日 09:05')
  })

  it('decides the year, and shows the time, in the workspace zone', () => {
    const sh = fmtFor('zh-CN', 'Asia/Shanghai')
    // 20:00 UTC on 31 December 2025 is already 2026 in Shanghai
    expect(sh.short('2025-12-31T20:00:00Z', now)).toBe('1月1日 04:00')
    expect(fmtFor('en', 'UTC').short('2025-12-31T20:00:00Z', now)).toBe('Dec 31, 2025')
  })

  it('the full form has the year, the time and the zone', () => {
    expect(en.full('2025-11-18T04:30:00Z')).toBe('Nov 18, 2025, 04:30 UTC')
    expect(zh.full('2025-11-18T04:30:00Z')).toBe('2025年11月18日 UTC 04:30')
    expect(fmtFor('en', 'Asia/Shanghai').full('2025-11-18T04:30:00Z')).toBe(
      'Nov 18, 2025, 12:30 GMT+8',
    )
  })

  it('invalid input gives an empty string, never an exception', () => {
    for (const f of [en, zh]) {
      for (const bad of ['', 'soon', '2026-13-45', null, undefined, {}, [], NaN, 8.64e16, true]) {
        expect(f.short(bad, now)).toBe('')
        expect(f.full(bad)).toBe('')
      }
      // An invalid "now" falls back to the real clock rather than throwing.
      expect(f.short('2020-01-01T00:00:00Z', new Date('x'))).toMatch(/2020/)
    }
  })

  it('<When> puts the full date in the title and the stored value in datetime=', async () => {
    const at = '2025-11-18T04:30:00.000Z'
    expect(await html(When({ f: zh, at, now }))).toBe(
      `<time datetime="${at}" title="2025年11月18日 UTC 04:30">2025年11月18日</time>`,
    )
    expect(await html(When({ f: en, at: 'not a date', now }))).toBe('')
    expect(await html(When({ f: en, at: null, now }))).toBe('')
  })
})

describe('table money', () => {
  it('drops the cents from 1,000 up, in the symbol the locale expects', () => {
    const en = fmtFor('en', 'UTC')
    const zh = fmtFor('zh-CN', 'UTC')
    expect(en.moneyShort(120_000_000, 'CNY')).toBe('CN¥120,000,000')
    expect(zh.moneyShort(120_000_000, 'CNY')).toBe('¥120,000,000')
    expect(en.moneyShort(5000, 'eur')).toBe('€5,000')
    expect(zh.moneyShort(1234.56, 'USD')).toBe('US$1,235')
    expect(en.moneyShort(-2500.4, 'USD')).toBe('-$2,500')
    // Under 1,000 the cents matter.
    expect(en.moneyShort(999.5, 'USD')).toBe('$999.50')
    expect(zh.moneyShort(12.3, 'CNY')).toBe('¥12.30')
    // Without a currency: a plain number; the profile's money keeps full precision.
    expect(en.moneyShort('250000.75', null)).toBe('250,001')
    expect(en.money(120_000_000, 'CNY')).toBe('CN¥120,000,000.00')
    // An unknown code is shown after the number; bad amounts are empty.
    expect(en.moneyShort(5000, 'XYZ')).toMatch(/5,000/)
    for (const bad of ['', 'lots', null, {}, NaN, Infinity])
      expect(en.moneyShort(bad, 'USD')).toBe('')
  })
})
