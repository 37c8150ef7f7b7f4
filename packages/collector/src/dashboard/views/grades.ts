// Grade names as readers see them. The default rules' grades (cold, warm, hot) are API values:
// stored, filtered on and exported as they are, and shown translated (messages/shell.ts). A
// name a workspace typed for its own grades is shown as typed.
import { DEFAULT_RULES } from '@lodestone/scoring'
import { t, type Locale } from '../i18n/index.js'

const DEFAULT_GRADES: ReadonlySet<string> = new Set(DEFAULT_RULES.grades.map((g) => g.name))

/** The label of grade `name` in `locale`: translated for a default grade, else `name` itself. */
export function gradeLabel(locale: Locale, name: string): string {
  return DEFAULT_GRADES.has(name) ? t(locale, `shell.grade.${name}`) : name
}

/** The default grades' labels by name, for the Live page's script. */
export function defaultGradeLabels(locale: Locale): Record<string, string> {
  return Object.fromEntries([...DEFAULT_GRADES].map((g) => [g, gradeLabel(locale, g)]))
}
