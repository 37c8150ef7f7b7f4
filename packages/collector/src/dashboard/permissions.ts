// Who may do what in the dashboard: the actions pages ask about, mapped onto the one permission
// table (auth/permissions.ts) and the signed-in person's role (docs/team.md).
import type { Ctx } from './render.js'
import { roleHolds, type Permission } from '../auth/permissions.js'

export type DashboardAction =
  | 'contacts.erase'
  | 'contacts.export'
  | 'contacts.addToList'
  | 'rules.write'
  | 'settings.write'
  | 'setup.issueKey'

const NEEDS: Record<DashboardAction, Permission> = {
  'contacts.erase': 'erase',
  'contacts.export': 'export',
  'contacts.addToList': 'rules',
  'rules.write': 'rules',
  'settings.write': 'settings',
  'setup.issueKey': 'team',
}

/** Whether the signed-in person may do `action` (pages hide what they may not). */
export function permitted(c: Ctx, action: DashboardAction): boolean {
  const s = c.var.session
  return Boolean(s) && roleHolds(s.role, NEEDS[action])
}
