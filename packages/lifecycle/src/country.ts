import { COUNTRY_ALIASES, ISO_COUNTRIES } from './country-data.js'

export interface Country {
  alpha2: string
  alpha3: string
  name: string
}

let index: Map<string, string> | null = null
let countries: Country[] | null = null

/**
 * The comparison key for a country name: accents and punctuation removed, case folded,
 * `&` read as "and", `St.` as "Saint", a leading "the" dropped.
 */
export function countryKey(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .replace(/[\s,()\-_/]+/g, ' ')
    .trim()
    .replace(/^the /, '')
    .replace(/\bst (?=\S)/g, 'saint ')
}

/** All ISO 3166-1 countries, in alpha-2 order. */
export function listCountries(): readonly Country[] {
  if (!countries) {
    countries = ISO_COUNTRIES.trim()
      .split('\n')
      .map((line) => {
        const [alpha2, alpha3] = line.split(' ', 2) as [string, string]
        return { alpha2, alpha3, name: line.slice(7) }
      })
  }
  return countries
}

function lookupIndex(): Map<string, string> {
  if (index) return index
  const map = new Map<string, string>()
  for (const c of listCountries()) {
    map.set(countryKey(c.name), c.alpha2)
    map.set(c.alpha3.toLowerCase(), c.alpha2)
  }
  // Every country's name in English and Chinese (Simplified and Traditional) from the runtime's
  // CLDR data (Node ships full ICU): 美国, 德国, 英国, 韩国, 美國 … A runtime without that data
  // falls back to the table above and the aliases below.
  for (const locale of ['en', 'zh-Hans', 'zh-Hant']) {
    let names: Intl.DisplayNames
    try {
      names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' })
    } catch {
      continue
    }
    for (const c of listCountries()) {
      const name = names.of(c.alpha2)
      if (name && !map.has(countryKey(name))) map.set(countryKey(name), c.alpha2)
    }
  }
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) map.set(countryKey(alias), code)
  // Alpha-2 codes go last: "IN" (India) beats nothing, but two-letter words must not shadow
  // them either, and they are the most common input.
  for (const c of listCountries()) map.set(c.alpha2.toLowerCase(), c.alpha2)
  index = map
  return map
}

/**
 * ISO 3166-1 alpha-2 code for a country name, alias, alpha-2 or alpha-3 code; null if unknown.
 * @example normaliseCountry('United States of America') // 'US'
 * @example normaliseCountry('Deutschland') // 'DE'
 */
export function normaliseCountry(input: string): string | null {
  if (input.length > 100) return null
  return lookupIndex().get(countryKey(input)) ?? null
}
