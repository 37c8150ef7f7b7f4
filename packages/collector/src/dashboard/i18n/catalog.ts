// Every area's strings, merged. Add one import and one entry per area file in messages/; an
// area file imports its `Messages` type from ../locales.js (index.ts imports this file).
import type { Locale, Messages } from './locales.js'
import { messages as common } from './messages/common.js'
import { messages as login } from './messages/login.js'
import { messages as team } from './messages/team.js'
import { messages as overview } from './messages/overview.js'
import { messages as contacts } from './messages/contacts.js'
import { messages as contactsBulk } from './messages/contacts-bulk.js'
import { messages as contact } from './messages/contact.js'
import { messages as setup } from './messages/setup.js'
import { messages as activity } from './messages/activity.js'
import { messages as rules } from './messages/rules.js'
import { messages as reports } from './messages/reports.js'
import { messages as segments } from './messages/segments.js'
import { messages as snapshots } from './messages/snapshots.js'
import { messages as shell } from './messages/shell.js'
import { messages as polish } from './messages/polish.js'

const AREAS: Messages[] = [
  common,
  login,
  overview,
  contacts,
  contactsBulk,
  contact,
  setup,
  activity,
  rules,
  reports,
  segments,
  snapshots,
  team,
  shell,
  polish,
]

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
