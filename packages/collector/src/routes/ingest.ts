import { Hono, type Context } from 'hono'
import { cors } from 'hono/cors'
import { MAX_NESTING_DEPTH, type EventType } from '@lodestone/protocol'
import type { Deps } from '../deps.js'
import type { IngestStore, KeyLookup } from '../ports.js'
import type { LifecycleStore } from '../lifecycle/port.js'
import type { EnrichedEvent } from '../ports.js'
import type { EventLog } from '../log/port.js'
import { CollectorError } from '../errors.js'
import { readRequestBodyText, parseJson } from '../ingest/read-body.js'
import { jsonShape, needsCleaning } from '../ingest/sanitize.js'
import { eventSizeBound, validateBatch, validateSingle } from '../ingest/validate.js'
import { enricher } from '../ingest/enrich.js'
import { authenticateIngest, credentialsFromHeader } from '../middleware/auth.js'
import type { KeyResolver } from '../auth/key-resolver.js'
import { clientIp } from '../middleware/client-ip.js'
import { batchFacts, publishChanges } from '../live/publish.js'
import { segmentEntries } from '../segments/live.js'
import { alertEntries, applyIngestPolicy } from './lifecycle-ingest.js'

// Segment's routes and the one-letter aliases analytics.js / analytics-next post to by default.
const SINGLE: Record<string, EventType> = {
  track: 'track',
  t: 'track',
  page: 'page',
  p: 'page',
  screen: 'screen',
  s: 'screen',
  identify: 'identify',
  i: 'identify',
  group: 'group',
  g: 'group',
  alias: 'alias',
  a: 'alias',
}
const BATCH = ['batch', 'b', 'import']
const PROCESSED_TIMEOUT_MS = 10_000

/** The Segment Tracking API: route → validate → enrich → (identity, score, store) → acknowledge. */
export function ingestRoutes(
  deps: Deps<IngestStore & KeyLookup & Pick<LifecycleStore, 'getLifecycleSettings'>>,
  keys: KeyResolver,
) {
  const app = new Hono()
  const preflight = cors({
    origin: '*',
    allowMethods: ['POST', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Content-Encoding'],
    maxAge: 86_400,
  })
  // Preflights go through hono's cors(); the POSTs only need the one header, set before the
  // response exists. (cors() sets it on a placeholder response that Hono then copies into a new
  // Response for every request: about 5 % of the collector's CPU under the ingest benchmark.)
  app.use('*', (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next)
    c.header('Access-Control-Allow-Origin', '*')
    return next()
  })

  async function handle(c: Context, route: 'batch' | EventType) {
    const headerCreds = credentialsFromHeader(c.req.header('authorization'))
    // Fail fast on a bad header key before reading a large body.
    const early = headerCreds ? await authenticateIngest(keys, headerCreds) : null
    const { text, bytes } = await readRequestBodyText(c)
    const shape = jsonShape(text)
    if (shape.depth > MAX_NESTING_DEPTH)
      throw new CollectorError('bad_request', 'JSON nesting is too deep')
    const body = parseJson(text)
    const bound = eventSizeBound(shape, bytes)
    const validated =
      route === 'batch' ? validateBatch(body, bound) : validateSingle(body, route, bound)
    const bodyKey = validated.envelope.writeKey
    const { workspace, kind } =
      early ??
      (await authenticateIngest(keys, bodyKey ? { key: bodyKey, kind: 'write' } : null, {
        fromBody: true,
      }))
    await deps.limits?.checkIngest(
      c,
      workspace.id,
      validated.valid.length + validated.rejected.length,
    )
    await applyIngestPolicy(deps.store, workspace.id, kind, validated)
    if (validated.valid.length === 0) {
      throw new CollectorError('invalid_events', 'No valid events in the request', {
        rejected: validated.rejected,
      })
    }
    const facts = {
      ip: clientIp(c, deps.config.trustedProxyHeader, deps.getConnectionIp),
      userAgent: c.req.header('user-agent') ?? null,
      receivedAt: deps.clock.now(),
      anonymizeIp: deps.config.anonymizeIp,
      clean: needsCleaning(text),
    }
    const events = validated.valid.map(enricher(validated.envelope, facts))
    if (deps.eventLog)
      return appendToLog(c, deps.eventLog, workspace.id, events, validated.rejected)
    const result = await deps.store.ingest(workspace.id, events)
    if (result.stored.length > 0) {
      await publishChanges(deps, workspace.id, result.changes, [
        { kind: 'events', events: result.stored, ...batchFacts(result.changes) },
        ...alertEntries(result.alerts),
        ...segmentEntries(result.segments),
      ])
    }
    return c.json({
      success: true,
      accepted: validated.valid.length,
      duplicates: result.duplicates,
      rejected: validated.rejected,
    })
  }

  /**
   * Log mode: 200 once the log durably holds every event; with `?wait=processed` (or the header
   * `Lodestone-Wait: processed`) only once a processor committed them too (read-your-writes),
   * `processed: false` if that took longer than 10 s (the events are safe in the log either way).
   */
  async function appendToLog(
    c: Context,
    log: EventLog,
    workspaceId: string,
    events: EnrichedEvent[],
    rejected: unknown[],
  ) {
    const wait =
      c.req.query('wait') === 'processed' || c.req.header('lodestone-wait') === 'processed'
    const ids = events.map((e) => e.messageId)
    const processed = wait ? log.expectProcessed(workspaceId, ids, PROCESSED_TIMEOUT_MS) : null
    const { duplicateIds } = await log.append(workspaceId, events)
    // A copy the log already had is not processed again: its original was (or will be).
    processed?.skip(duplicateIds)
    return c.json({
      success: true,
      accepted: events.length,
      duplicates: duplicateIds.length,
      rejected,
      ...(processed ? { processed: await processed.done } : {}),
    })
  }

  for (const path of BATCH) app.post(`/${path}`, (c) => handle(c, 'batch'))
  for (const [path, type] of Object.entries(SINGLE)) app.post(`/${path}`, (c) => handle(c, type))
  return app
}
