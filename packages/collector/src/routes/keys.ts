import { Hono } from 'hono'
import type { Workspace } from '../ports.js'
import type { TeamDeps } from '../deps.js'
import { CollectorError } from '../errors.js'
import { parseJson, readRequestBody } from '../ingest/read-body.js'
import { actorOf, type Principal } from '../auth/principal.js'
import { auditChange } from '../audit/record.js'
import { createApiKey, parseKeyName, parseScopes, rotateApiKey } from '../team/api-keys.js'

type Env = { Variables: { workspace: Workspace; principal: Principal } }

const creator = (p: Principal) => {
  const a = actorOf(p)
  return `${a.kind}:${a.id}`
}

/** Scoped API keys (docs/team.md): create (shown once), list, rotate, revoke. */
export function keyRoutes(deps: TeamDeps) {
  const app = new Hono<Env>()
  const { team } = deps

  app.post('/keys', async (c) => {
    const body = (parseJson(await readRequestBody(c, 16 * 1024)) ?? {}) as Record<string, unknown>
    const created = await createApiKey(team, c.var.workspace.id, {
      name: parseKeyName(body.name),
      scopes: parseScopes(body.scopes),
      createdBy: creator(c.var.principal),
    })
    auditChange(c, { target: created.id, after: { name: created.name, scopes: created.scopes } })
    return c.json(created, 201)
  })

  app.get('/keys', async (c) =>
    c.json({ keys: await team.listApiKeys(c.var.workspace.id, deps.clock.now()) }),
  )

  app.post('/keys/:id/rotate', async (c) => {
    const id = c.req.param('id')
    const rotated = await rotateApiKey(
      team,
      c.var.workspace.id,
      id,
      deps.clock.now(),
      creator(c.var.principal),
    )
    auditChange(c, {
      target: id,
      detail: { newKeyId: rotated.id, graceUntil: rotated.previous.expiresAt },
    })
    return c.json(rotated, 201)
  })

  app.delete('/keys/:id', async (c) => {
    if (!(await team.revokeApiKey(c.var.workspace.id, c.req.param('id'), deps.clock.now())))
      throw new CollectorError('not_found', 'No such key')
    return c.json({ success: true })
  })
  return app
}
