import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { Deps } from '../deps.js'
import type { KeyLookup, ScoringStore } from '../ports.js'
import type { Workspace } from '../ports.js'
import { parseJson, readRequestBody } from '../ingest/read-body.js'
import type { LiveEntry } from '../live/feed.js'
import { cutConnection } from '../live/cut.js'
import { admitSubscriber, serveSubscriber } from '../live/subscriber.js'
import { publishChanges } from '../live/publish.js'
import { entryText } from '../live/sse.js'
import { lastEventIdOf } from '../live/last-event-id.js'
import { auditChange } from '../audit/record.js'

type Env = { Variables: { workspace: Workspace } }

const RULES_MAX_BYTES = 256 * 1024

/** Scoring rules (read, replace → rescore) and the live stream (SSE), with the secret key. */
export function scoringRoutes(deps: Deps<ScoringStore & KeyLookup>) {
  const app = new Hono<Env>()

  app.get('/scoring/rules', async (c) => c.json(await deps.store.getRules(c.var.workspace.id)))

  app.put('/scoring/rules', async (c) => {
    const ws = c.var.workspace.id
    const doc = parseJson(await readRequestBody(c, RULES_MAX_BYTES))
    const before = await deps.store.getRules(ws)
    const { version } = await deps.store.putRules(ws, doc)
    auditChange(c, { target: `rules v${version}`, before: before.rules, after: doc })
    const started = Date.now()
    const result = await deps.store.rescore(ws, {
      now: deps.clock.now(),
      onChanges: (changes) => void publishChanges(deps, ws, changes),
    })
    return c.json({
      version,
      rescored: result.done,
      changed: result.changed,
      ms: Date.now() - started,
    })
  })

  app.post('/scoring/rescore', async (c) => {
    const ws = c.var.workspace.id
    const result = await deps.store.rescore(ws, {
      now: deps.clock.now(),
      onChanges: (changes) => void publishChanges(deps, ws, changes),
    })
    return c.json(result)
  })

  app.get('/stream', (c) => {
    admitSubscriber(deps.live!.subscribers(c.var.workspace.id), deps.liveStream)
    const lastEventId = lastEventIdOf(c)
    return streamSSE(c, (stream) =>
      serveSubscriber(stream, {
        subscribe: (listener) => deps.live!.open(c.var.workspace.id, listener, lastEventId),
        ready: { at: deps.clock.now().toISOString() },
        // Written as it arrives: its size is known, its id is the feed's (live/feed.ts).
        accept: (entry, id) => {
          const item = sseMessage(id, entry)
          return { item, size: item.length }
        },
        // Whatever queued meanwhile goes out in one write: the bytes of one writeSSE per entry,
        // one pass through the response stream and one socket write instead of one per entry.
        render: (items) => items.join(''),
        cut: cutConnection(c),
        onDrop: (dropped) =>
          deps.log?.('live stream: a subscriber that stopped reading was dropped', {
            route: '/v1/stream',
            workspace: c.var.workspace.id,
            dropped,
          }),
        limits: deps.liveStream,
      }),
    )
  })
  return app
}

/** One entry of `/v1/stream`: its kind as the event, the entry as data, its feed id. */
export const sseMessage = (id: string, entry: LiveEntry): string => entryText(entry, id)
