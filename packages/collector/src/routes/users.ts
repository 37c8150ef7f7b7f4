import { Hono } from 'hono'
import type { Workspace } from '../ports.js'
import type { TeamDeps } from '../deps.js'
import { parseJson, readRequestBody } from '../ingest/read-body.js'
import { auditChange } from '../audit/record.js'
import { inviteUser } from '../team/invites.js'

type Env = { Variables: { workspace: Workspace } }

/** The base of links the collector hands out: the configured public URL or the request's origin. */
export const publicBase = (deps: TeamDeps, url: string) => deps.publicUrl ?? new URL(url).origin

/** Team members over the API: invite (answers the single-use invite link) and list. */
export function userRoutes(deps: TeamDeps) {
  const app = new Hono<Env>()

  app.post('/users', async (c) => {
    const body = (parseJson(await readRequestBody(c, 16 * 1024)) ?? {}) as Record<string, unknown>
    const { user, inviteUrl } = await inviteUser(
      deps.team,
      c.var.workspace.id,
      { email: body.email, role: body.role },
      deps.clock.now(),
      publicBase(deps, c.req.url),
    )
    auditChange(c, { target: user.id, after: { email: user.email, role: user.role } })
    return c.json({ id: user.id, email: user.email, role: user.role, inviteUrl }, 201)
  })

  app.get('/users', async (c) => c.json({ users: await deps.team.listUsers(c.var.workspace.id) }))
  return app
}
