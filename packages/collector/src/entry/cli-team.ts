// CLI parts of teams (docs/team.md): `user create`, and the sign-in line `start` prints.
import type { TeamStore } from '../team/port.js'
import type { Workspace } from '../ports.js'
import { inviteUser, issueLink } from '../team/invites.js'

/** The demo workspace's owner when `start` created the workspace (docs/team.md). */
export const DEMO_OWNER_EMAIL = 'owner@demo.lodestone.local'

/**
 * `user create`: the new member and their single-use invite link (SPEC's fixed JSON shape).
 *
 * @example
 * await userCreate(store.team, workspaces, { workspace: 'ws_…', email: 'a@b.co', role: 'admin' }, base)
 */
export async function userCreate(
  team: TeamStore,
  workspaces: Workspace[],
  input: { workspace?: string; email?: string; role?: string },
  baseUrl: string,
) {
  if (!input.workspace || !input.email || !input.role)
    throw new Error('user create needs --workspace ID --email E --role owner|admin|marketer|viewer')
  if (!workspaces.some((w) => w.id === input.workspace))
    throw new Error(`no workspace ${input.workspace}`)
  const { user, inviteUrl } = await inviteUser(
    team,
    input.workspace,
    { email: input.email, role: input.role },
    new Date(),
    baseUrl,
  )
  await team.appendAudit({
    workspaceId: input.workspace,
    actor: { kind: 'system', id: null, label: 'cli' },
    ip: null,
    action: 'user.invite',
    target: user.id,
    after: { email: user.email, role: user.role },
  })
  return { id: user.id, email: user.email, role: user.role, inviteUrl }
}

/**
 * What `start` prints so someone can open the dashboard: the demo owner's invite link (the owner
 * is created on first start), or where to sign in once a password is set; for other workspaces
 * without an owner, the command that makes one.
 */
export async function signInLines(
  team: TeamStore,
  workspaces: Workspace[],
  demoId: string | null,
  baseUrl: string,
): Promise<string[]> {
  const lines: string[] = []
  for (const ws of workspaces.slice(0, 20)) {
    const users = await team.listUsers(ws.id)
    const owner = users.find((u) => u.role === 'owner' && !u.disabled)
    if (owner?.active) {
      // The owner's address is personal data: the startup output names the page, not the person.
      lines.push(`Dashboard for ${ws.id}: ${baseUrl}/app/login`)
      continue
    }
    if (ws.id !== demoId) {
      lines.push(
        `Workspace ${ws.id} has no owner yet: pnpm lodestone user create --workspace ${ws.id} --email EMAIL --role owner`,
      )
      continue
    }
    const demoOwner =
      owner ?? (await team.createUser(ws.id, { email: DEMO_OWNER_EMAIL, role: 'owner' }))
    const link = await issueLink(team, demoOwner, 'invite', new Date(), baseUrl)
    lines.push(
      `Dashboard: open ${link} to set the password of ${demoOwner.email} (owner) and sign in`,
      `           (single use, valid 7 days; a new link is printed at every start until then)`,
    )
  }
  return lines
}
