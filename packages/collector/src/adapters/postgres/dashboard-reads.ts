import type { Sql } from 'postgres'
import type { DashboardContactQuery } from '../../ports.js'
import type { RulesCache } from './rules-cache.js'
import type { Guard } from './dashboard/shared.js'
import { dashboardSession } from './dashboard/session.js'
import { codePointOrder, searchContacts } from './dashboard/contacts.js'
import { dashboardOverview } from './dashboard/overview.js'
import { contactLabels, scoreGrades, scoreHistory } from './dashboard/profile.js'

export { SEARCH_BUDGET } from './dashboard/contacts.js'
export { niceStep } from './dashboard/overview.js'

/**
 * The SQL behind the dashboard, one file per area under dashboard/: the session signing key,
 * filtered contact pages, overview aggregates, score history and labels. Every statement is
 * scoped to one workspace.
 */
export function createDashboardReads(sql: Sql, guard: Guard, rules: RulesCache) {
  const sortsByCodePoint = codePointOrder(sql)
  return {
    dashboardSession: (workspaceId: string) => dashboardSession(sql, guard, workspaceId),
    scoreGrades: (workspaceId: string) => scoreGrades(sql, guard, rules, workspaceId),
    searchContacts: (workspaceId: string, q: DashboardContactQuery) =>
      searchContacts(sql, guard, sortsByCodePoint, rules, workspaceId, q),
    scoreHistory: (workspaceId: string, contactId: string, limit?: number) =>
      scoreHistory(sql, guard, workspaceId, contactId, limit),
    dashboardOverview: (workspaceId: string, opts: { now: Date; days?: number }) =>
      dashboardOverview(sql, guard, rules, workspaceId, opts),
    contactLabels: (workspaceId: string, ids: string[]) =>
      contactLabels(sql, guard, workspaceId, ids),
  }
}
