import type { FitConditions } from './condition-schema.js'
import { compileFieldTests } from './matcher.js'

/**
 * Job titles that mark a buying role, in English and Simplified Chinese. English titles match as
 * whole words (`containsWord`: "CTO" is not in "Director"); Chinese has no spaces between words,
 * so Chinese titles match as text (`contains`). The default `decision-maker` rule and the
 * account members' buying roles (docs/accounts.md) both read these lists.
 */
export const DECISION_MAKER_TITLES = {
  en: [
    'CEO',
    'CTO',
    'CFO',
    'COO',
    'CMO',
    'CIO',
    'CRO',
    'Chief',
    'VP',
    'SVP',
    'EVP',
    'Vice President',
    'Director',
    'Head of',
    'Founder',
    'Co-founder',
    'Owner',
    'President',
    'Managing Partner',
  ],
  zh: ['首席', '总裁', '副总裁', '总监', '总经理', '负责人', '创始人', '联合创始人', '董事长'],
}

export const INFLUENCER_TITLES = {
  en: ['Manager', 'Lead', 'Team Lead', 'Principal', 'Architect', 'Senior', 'Specialist'],
  zh: ['经理', '主管', '组长', '架构师', '高级'],
}

/** Fit conditions matching a title from one of the lists above. */
export function titleConditions(titles: { en: string[]; zh: string[] }): FitConditions {
  return {
    anyOf: [
      { traits: { title: { containsWord: titles.en } } },
      { traits: { title: { contains: titles.zh } } },
    ],
  }
}

export type BuyingRole = 'decision_maker' | 'influencer' | 'other'

const isDecisionMaker = compileAny(DECISION_MAKER_TITLES)
const isInfluencer = compileAny(INFLUENCER_TITLES)

function compileAny(titles: { en: string[]; zh: string[] }) {
  const en = compileFieldTests({ title: { containsWord: titles.en } })
  const zh = compileFieldTests({ title: { contains: titles.zh } })
  return (title: unknown) => en({ title }) || zh({ title })
}

/**
 * A member's buying role from a job title: decision maker first, then influencer, else other.
 *
 * @example
 * buyingRole('首席执行官') // 'decision_maker'
 * buyingRole('Marketing Manager') // 'influencer'
 */
export function buyingRole(title: unknown): BuyingRole {
  if (isDecisionMaker(title)) return 'decision_maker'
  if (isInfluencer(title)) return 'influencer'
  return 'other'
}
