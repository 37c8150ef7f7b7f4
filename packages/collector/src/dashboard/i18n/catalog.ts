// Every area's strings, merged. Add one import and one entry per area file in messages/.
import type { Locale, Messages } from './locales.js'
import { messages as common } from './messages/common.js'
import { messages as login } from './messages/login.js'

const AREAS: Messages[] = [common, login]

function merge(locale: Locale): Record<string, string> {
  const out: Record<string, string> = Object.create(null)
  for (const area of AREAS) Object.assign(out, area[locale])
  return out
}

export const CATALOG: Record<Locale, Record<string, string>> = {
  en: merge('en'),
  'zh-CN': merge('zh-CN'),
}

export const AREA_MESSAGES: readonly Messages[] = AREAS
