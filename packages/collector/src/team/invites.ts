// Invite and password-reset links: single-use, valid for 7 days, stored as digests only.
import { CollectorError } from '../errors.js'
import { ROLES, type Role, type TeamStore, type User } from './port.js'
import { inviteTokenHash, randomToken } from './tokens.js'

export const INVITE_TTL_MS = 7 * 86_400_000
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/

export function parseRole(v: unknown): Role {
  if (typeof v === 'string' && (ROLES as readonly string[]).includes(v)) return v as Role
  throw new CollectorError('bad_request', `role must be one of ${ROLES.join(', ')}`)
}

export function parseEmail(v: unknown): string {
  const email = typeof v === 'string' ? v.trim().toLowerCase() : ''
  if (!EMAIL.test(email) || !email.split('@')[1]!.includes('.'))
    throw new CollectorError('bad_request', 'email must be an e-mail address')
  return email
}

/** The page that sets a password with this token (SPEC's `inviteUrl`). */
export const inviteUrl = (baseUrl: string, token: string) =>
  `${baseUrl.replace(/\/+$/, '')}/app/invite/${token}`

/** A new single-use link for the user; the token is returned once and stored as a digest. */
export async function issueLink(
  team: TeamStore,
  user: User,
  purpose: 'invite' | 'reset',
  now: Date,
  baseUrl: string,
): Promise<string> {
  const token = randomToken()
  await team.createUserToken({
    userId: user.id,
    purpose,
    tokenHash: await inviteTokenHash(token),
    expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
  })
  return inviteUrl(baseUrl, token)
}

/**
 * Creates a user and the invite link that lets them set a password.
 *
 * @example
 * const { user, inviteUrl } = await inviteUser(team, ws.id, { email, role: 'viewer' }, now, base)
 */
export async function inviteUser(
  team: TeamStore,
  workspaceId: string,
  input: { email: unknown; role: unknown },
  now: Date,
  baseUrl: string,
): Promise<{ user: User; inviteUrl: string }> {
  const user = await team.createUser(workspaceId, {
    email: parseEmail(input.email),
    role: parseRole(input.role),
  })
  return { user, inviteUrl: await issueLink(team, user, 'invite', now, baseUrl) }
}
