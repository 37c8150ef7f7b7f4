// A contact alert in the reader's language, rebuilt from its parts: the rule that fired (kind,
// threshold, window) and the value that crossed. The collector stores an English message with
// each alert (packages/lifecycle/src/alerts.ts); it is shown as stored when the parts cannot be
// trusted: the rule is gone, or it was edited since (it would no longer write that message).
import { alertMessage, type AlertRule } from '@lodestone/lifecycle'
import { gradeLabel } from './grades.js'
import type { Fmt } from './intl.js'

export interface StoredAlert {
  ruleId: string
  kind: string
  value: unknown
  message: string
}

export function alertText(f: Fmt, rules: readonly AlertRule[], a: StoredAlert): string {
  const rule = rules.find((r) => r.id === a.ruleId)
  const v = a.value
  if (!rule || rule.kind !== a.kind || (typeof v !== 'number' && typeof v !== 'string'))
    return a.message
  if (alertMessage(rule, v) !== a.message) return a.message
  const key = `polish.alert.${rule.kind}`
  switch (rule.kind) {
    case 'satisfaction_below':
      return f.t(key, {
        metric: rule.metric.toUpperCase(),
        value: f.num(v, 2),
        threshold: f.num(rule.threshold, 2),
      })
    case 'churn_risk_above':
      return f.t(key, { value: f.num(v, 2), threshold: f.num(rule.threshold, 2) })
    case 'tickets_within':
      return f.t(key, { value: f.num(v, 0), days: f.num(rule.windowDays, 2) })
    case 'grade_became':
      return f.t(key, { grade: gradeLabel(f.locale, String(v)) })
  }
}
