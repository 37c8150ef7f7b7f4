import { companyKey, editDistance, nameKey } from './match-keys.js'
import { normaliseTraits, type TraitIssue } from './normalise.js'

export { companyKey, editDistance, nameKey } from './match-keys.js'

export interface QualityContact {
  id: string
  traits: Readonly<Record<string, unknown>>
}

export interface DuplicateGroup {
  /** The shared company key; names within the group are equal or nearly so. */
  company: string
  contactIds: string[]
}

export interface QualityReport {
  total: number
  missingEmail: string[]
  missingCompany: string[]
  invalid: { id: string; issues: TraitIssue[] }[]
  duplicates: DuplicateGroup[]
  /** Contacts with an e-mail, a company and no issue. */
  complete: number
}

export interface QualityOptions {
  /** Above this many contacts at one company, only exact name keys are compared (cost is
   * quadratic per company). Default 500. */
  maxFuzzyGroup?: number
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

/** The display name of a contact: `name`, else first and last name. */
export function contactName(traits: Readonly<Record<string, unknown>>): string {
  return text(traits.name) || `${text(traits.firstName)} ${text(traits.lastName)}`.trim()
}

/**
 * The data-quality report over a workspace's contacts: missing e-mail or company, values that
 * fail normalisation, and suspected duplicates (same company key, same or nearly the same
 * name key: one typo allowed in names of 6+ letters, two in names of 10+).
 * @example
 * const report = qualityReport([{ id: 'c1', traits: { name: 'Ana Lopez', company: 'Acme Inc' } },
 *   { id: 'c2', traits: { name: 'ana lópez', company: 'ACME' } }])
 * report.duplicates // [{ company: 'acme', contactIds: ['c1', 'c2'] }]
 */
export function qualityReport(
  contacts: readonly QualityContact[],
  options: QualityOptions = {},
): QualityReport {
  const report = qualityAccumulator(options)
  report.add(contacts)
  return report.finish()
}

/**
 * The same report built a page of contacts at a time, so a caller reading a large workspace
 * page by page keeps neither every contact in memory nor its event loop busy for the whole
 * workspace at once (the store: adapters/postgres/lifecycle-reads.ts).
 * @example
 * const q = qualityAccumulator()
 * for (const page of pages) q.add(page)
 * q.finish().total
 */
export function qualityAccumulator(options: QualityOptions = {}) {
  const report: QualityReport = {
    total: 0,
    missingEmail: [],
    missingCompany: [],
    invalid: [],
    duplicates: [],
    complete: 0,
  }
  const byCompany = new Map<string, { id: string; name: string }[]>()
  const duplicatesOf = ([company, people]: [string, { id: string; name: string }[]]) => {
    if (people.length < 2) return
    for (const ids of clusters(people, people.length <= (options.maxFuzzyGroup ?? 500))) {
      report.duplicates.push({ company, contactIds: ids })
    }
  }
  return {
    add(contacts: readonly QualityContact[]) {
      report.total += contacts.length
      for (const c of contacts) {
        const hasEmail = text(c.traits.email) !== ''
        const company = text(c.traits.company)
        if (!hasEmail) report.missingEmail.push(c.id)
        if (!company) report.missingCompany.push(c.id)
        const { issues } = normaliseTraits(c.traits)
        if (issues.length) report.invalid.push({ id: c.id, issues })
        if (hasEmail && company && !issues.length) report.complete++
        const name = nameKey(contactName(c.traits))
        const key = companyKey(company)
        if (name && key) {
          const list = byCompany.get(key) ?? []
          list.push({ id: c.id, name })
          byCompany.set(key, list)
        }
      }
    },
    finish(): QualityReport {
      for (const entry of byCompany) duplicatesOf(entry)
      return report
    },
    /**
     * `finish`, giving the event loop a turn after every `sliceMs` of work: the duplicate
     * search compares names pairwise within each company, 14 s for 100,000 named contacts at
     * 5,000 companies in one measurement, which a server must not spend in one go.
     */
    async finishInSlices(sliceMs = 20): Promise<QualityReport> {
      let slice = Date.now()
      for (const entry of byCompany) {
        duplicatesOf(entry)
        if (Date.now() - slice < sliceMs) continue
        await new Promise((r) => setTimeout(r, 0))
        slice = Date.now()
      }
      return report
    },
  }
}

function clusters(people: { id: string; name: string }[], fuzzy: boolean): string[][] {
  if (!fuzzy) {
    const exact = new Map<string, string[]>()
    for (const p of people) exact.set(p.name, [...(exact.get(p.name) ?? []), p.id])
    return [...exact.values()].filter((g) => g.length > 1)
  }
  const parent = people.map((_, i) => i)
  const root = (i: number): number =>
    parent[i] === i ? i : (parent[i] = root(parent[i] as number))
  for (let i = 0; i < people.length; i++) {
    for (let j = i + 1; j < people.length; j++) {
      const [a, b] = [(people[i] as { name: string }).name, (people[j] as { name: string }).name]
      const allowed = Math.min(a.length, b.length) >= 10 ? 2 : 1
      const similar =
        a === b || (Math.min(a.length, b.length) >= 6 && editDistance(a, b, allowed) <= allowed)
      if (similar) parent[root(j)] = root(i)
    }
  }
  const groups = new Map<number, string[]>()
  people.forEach((p, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), p.id]))
  return [...groups.values()].filter((g) => g.length > 1)
}
