import { describe, expect, it } from 'vitest'
import { AREA_MESSAGES } from './catalog.js'
import { negotiateLocale, t } from './index.js'

describe('dashboard i18n', () => {
  it('every area has the same keys in English and Chinese, none empty', () => {
    for (const area of AREA_MESSAGES) {
      const en = Object.keys(area.en).sort()
      expect(Object.keys(area['zh-CN']).sort()).toEqual(en)
      for (const key of en) {
        expect(area.en[key]?.trim(), key).toBeTruthy()
        expect(area['zh-CN'][key]?.trim(), key).toBeTruthy()
      }
    }
  })

  it('no key is defined by two areas', () => {
    const seen = new Map<string, number>()
    AREA_MESSAGES.forEach((area, i) => {
      for (const key of Object.keys(area.en)) {
        expect(seen.has(key), `${key} in areas ${seen.get(key)} and ${i}`).toBe(false)
        seen.set(key, i)
      }
    })
  })

  it('negotiates Accept-Language by q-value', () => {
    expect(negotiateLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN')
    expect(negotiateLocale('fr-FR,en;q=0.5,zh;q=0.4')).toBe('en')
    expect(negotiateLocale('de,zh-Hans;q=0.7')).toBe('zh-CN')
    expect(negotiateLocale('zh-TW')).toBe('en')
    expect(negotiateLocale('en;q=0.1,zh;q=0.9')).toBe('zh-CN')
    expect(negotiateLocale(undefined)).toBe('en')
  })

  it('fills placeholders and falls back to the key', () => {
    expect(t('en', 'nav.contacts')).toBe('Contacts')
    expect(t('zh-CN', 'nav.contacts')).toBe('联系人')
    expect(t('en', 'no.such.key')).toBe('no.such.key')
  })
})
