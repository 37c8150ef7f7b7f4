import type { Messages } from '../locales.js'

/** Texts rebuilt from stored parts: contact alerts (views/alert-text.ts). */
export const messages: Messages = {
  en: {
    'polish.alert.satisfaction_below': '{metric} {value} is below {threshold}',
    'polish.alert.churn_risk_above': 'Churn risk {value} is above {threshold}',
    'polish.alert.tickets_within': '{value} tickets within {days} days',
    'polish.alert.grade_became': 'Grade became {grade}',
  },
  'zh-CN': {
    'polish.alert.satisfaction_below': '{metric} 为 {value}，低于 {threshold}',
    'polish.alert.churn_risk_above': '流失风险 {value}，高于 {threshold}',
    'polish.alert.tickets_within': '{days} 天内提交了 {value} 个工单',
    'polish.alert.grade_became': '等级变为 {grade}',
  },
}
