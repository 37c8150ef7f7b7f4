// Who may do what in the dashboard. Roles (owner/admin/marketer/viewer) come with issue 15;
// until then every signed-in session holds the workspace's secret key and may do everything.
// The actions the dashboard asks about, so the roles table can map each one:
//   contacts.erase  · contacts.export · rules.write · settings.write · setup.issueKey
import type { Ctx } from './render.js'

export type DashboardAction =
  'contacts.erase' | 'contacts.export' | 'rules.write' | 'settings.write' | 'setup.issueKey'

/** Whether the signed-in person may do `action` (the hook roles plug into). */
export function permitted(c: Ctx, action: DashboardAction): boolean {
  void action
  return Boolean(c.var.session)
}
