import { Hono, type Context } from 'hono'
import type { AppDeps } from '../deps.js'
import type { Workspace } from '../ports.js'
import { CollectorError } from '../errors.js'
import { parseJson, readRequestBody } from '../ingest/read-body.js'
import { authenticateIngest, credentialsFromHeader } from '../middleware/auth.js'
import type { KeyResolver } from '../auth/principal.js'
import { isSecretKey } from '../keys.js'
import type { AudiencePort, SegmentInput } from '../segments/port.js'
import { parseLimit } from './params.js'

type Env = { Variables: { workspace: Workspace } }

async function body(c: Context): Promise<Record<string, unknown>> {
  const parsed = parseJson(await readRequestBody(c))
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CollectorError('bad_request', 'Expected a JSON object')
  return parsed as Record<string, unknown>
}

/**
 * Segments and accounts (secret key), and the visitor's own public segments (write key):
 * docs/segments.md, docs/accounts.md.
 */
export function segmentRoutes(deps: AppDeps, keys: KeyResolver) {
  const app = new Hono<Env>()
  const port = deps.segments
  if (!port) return app
  const notFound = (what: string) => new CollectorError('not_found', `No such ${what}`)
  const ws = (c: Context<Env>) => c.var.workspace.id

  app.post('/segments', async (c) => {
    const seg = await port.createSegment(ws(c), (await body(c)) as unknown as SegmentInput)
    return c.json(seg, 201)
  })
  // The builder's live count before saving (docs/segments.md, Dashboard): exact up to a sample
  // size, past it an estimate (`estimate: true`, `sampleSize`, a 95 % `range`). Writes nothing.
  app.post('/segments/preview', async (c) => {
    if (!deps.audienceReads) throw new CollectorError('store_unavailable', 'Preview unavailable')
    const b = await body(c)
    const p = await deps.audienceReads.previewSegment(ws(c), b.conditions, deps.clock.now())
    return c.json({
      members: p.members,
      contacts: p.contacts,
      estimate: p.estimate,
      sampleSize: p.sampleSize,
      range: p.range,
    })
  })
  app.get('/segments', async (c) => c.json({ segments: await port.listSegments(ws(c)) }))
  app.get('/segments/:id', async (c) => {
    const seg = await port.getSegment(ws(c), c.req.param('id'))
    if (!seg) throw notFound('segment')
    return c.json(seg)
  })
  app.put('/segments/:id', async (c) => {
    const input = (await body(c)) as unknown as SegmentInput
    const seg = await port.updateSegment(ws(c), c.req.param('id'), input)
    if (!seg) throw notFound('segment')
    return c.json(seg)
  })
  app.delete('/segments/:id', async (c) => {
    if (!(await port.deleteSegment(ws(c), c.req.param('id')))) throw notFound('segment')
    return c.json({ success: true })
  })
  app.get('/segments/:id/members', async (c) => {
    const page = await port.segmentMembers(ws(c), c.req.param('id'), {
      limit: parseLimit(c.req.query('limit')),
      cursor: c.req.query('cursor'),
      now: deps.clock.now(),
    })
    if (!page) throw notFound('segment')
    return c.json(page)
  })

  app.get('/accounts', async (c) => {
    const sort = c.req.query('sort') ?? 'score'
    if (sort !== 'score') throw new CollectorError('bad_request', 'sort must be score')
    const page = await port.listAccounts(ws(c), {
      limit: parseLimit(c.req.query('limit')),
      cursor: c.req.query('cursor'),
      now: deps.clock.now(),
    })
    return c.json(page)
  })
  app.get('/accounts/:ref', async (c) => {
    const account = await port.getAccount(ws(c), c.req.param('ref'), deps.clock.now())
    if (!account) throw notFound('account')
    return c.json(account)
  })
  app.post('/accounts/merge', async (c) => {
    const b = await body(c)
    if (typeof b.from !== 'string' || typeof b.into !== 'string' || b.from === b.into)
      throw new CollectorError('bad_request', 'Give two different groupIds: from and into')
    return c.json(await port.mergeAccounts(ws(c), b.from, b.into, deps.clock.now()))
  })
  app.put('/accounts/settings', async (c) => {
    const b = await body(c)
    if (typeof b.matchDomains !== 'boolean')
      throw new CollectorError('bad_request', 'matchDomains must be true or false')
    await port.setAccountSettings(ws(c), { matchDomains: b.matchDomains })
    return c.json({ matchDomains: b.matchDomains })
  })

  app.route('/', personalizationRoutes(port, keys))
  return app
}

/**
 * `GET /v1/personalize/segments?anonymousId=…` with the public write key: the keys of the
 * visitor's own segments marked `browser: true`, nothing else (docs/segments.md, privacy).
 * Any key with the write scope answers, resolved as every route resolves keys
 * (auth/key-resolver.ts); one in the query string is public, so a secret key is refused there.
 */
function personalizationRoutes(port: AudiencePort, keys: KeyResolver) {
  const app = new Hono()
  app.use('/personalize/*', async (c, next) => {
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Cache-Control', 'private, no-store')
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Headers', 'Authorization')
      return c.body(null, 204)
    }
    return next()
  })
  app.on(['GET', 'OPTIONS'], '/personalize/segments', async (c) => {
    const q = c.req.query()
    const header = credentialsFromHeader(c.req.header('authorization'))
    const { workspace } = header
      ? await authenticateIngest(keys, header)
      : await authenticateIngest(
          keys,
          q.writeKey
            ? { key: q.writeKey, kind: isSecretKey(q.writeKey) ? 'secret' : 'write' }
            : null,
          { fromBody: true },
        )
    if (!q.anonymousId && !q.userId)
      throw new CollectorError('bad_request', 'Give anonymousId or userId')
    const segments = await port.publicSegments(workspace.id, {
      anonymousId: q.anonymousId?.slice(0, 200),
      userId: q.userId?.slice(0, 200),
    })
    return c.json({ segments })
  })
  return app
}
