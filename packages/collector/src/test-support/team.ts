// Principals for tests: members with a fresh server-side session each, and scoped API keys,
// made through the team port (the sign-in pages are tested on their own in dashboard tests).
import type { TeamStore, Role, Scope } from '../team/port.js'
import { randomToken, sessionCsrf, sessionTokenHash } from '../team/tokens.js'
import { createApiKey } from '../team/api-keys.js'

export interface TestSession {
  userId: string
  cookie: string
  csrf: string
}

/** A member of the workspace with `role` (created once per e-mail) and a new session. */
export async function sessionFor(
  team: TeamStore,
  secret: string,
  workspaceId: string,
  role: Role,
  now = new Date(),
): Promise<TestSession> {
  const email = `${role}-${randomToken(6)}@team.example`
  const user = await team.createUser(workspaceId, { email, role })
  return newSession(team, secret, workspaceId, user.id, now)
}

export async function newSession(
  team: TeamStore,
  secret: string,
  workspaceId: string,
  userId: string,
  now = new Date(),
): Promise<TestSession> {
  const token = randomToken()
  const session = await team.createSession({
    tokenHash: await sessionTokenHash(secret, token),
    userId,
    workspaceId,
    now,
    expiresAt: new Date(now.getTime() + 86_400_000),
    userAgent: 'test',
    ip: '203.0.113.9',
  })
  return {
    userId,
    cookie: `lodestone_session=${token}`,
    csrf: await sessionCsrf(secret, session.id),
  }
}

/** A new scoped key (`lk_…`) of the workspace. */
export async function keyFor(team: TeamStore, workspaceId: string, scopes: Scope[]) {
  return (
    await createApiKey(team, workspaceId, { name: scopes.join('+'), scopes, createdBy: 'test' })
  ).key
}
