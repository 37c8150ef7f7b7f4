import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { Deps } from '../deps.js'
import type { DashboardReads } from '../ports.js'
import type { LifecycleStore } from '../lifecycle/port.js'
import type { LiveEntry } from '../live/feed.js'
import { entryText, sseEvent, sseText } from '../live/sse.js'
import { cutConnection } from '../live/cut.js'
import { lastEventIdOf } from '../live/last-event-id.js'
import { foldVisits } from './live-fold.js'
import { admitSubscriber, serveSubscriber } from '../live/subscriber.js'
import type { DashboardEnv } from './auth/guard.js'
import { alertText } from './views/alert-text.js'
import type { Fmt } from './views/intl.js'

type LiveDeps = Deps<
  Pick<DashboardReads, 'contactLabels'> & Partial<Pick<LifecycleStore, 'getLifecycleSettings'>>
>

/**
 * Adds a display label to each contact the entries mention: one query for all the entries that
 * queued meanwhile (about two a request), not one per entry.
 */
async function labelled(deps: LiveDeps, workspaceId: string, entries: LiveEntry[]) {
  const ids = new Set<string>()
  for (const entry of entries) {
    if (entry.kind === 'events') for (const e of entry.events) ids.add(e.contactId)
    else ids.add(entry.contactId)
  }
  const labels = await deps.store
    .contactLabels(workspaceId, [...ids])
    .catch(() => ({}) as Record<string, { label: string | null }>)
  const label = (id: string) => labels[id]?.label ?? null
  return entries.map((entry) =>
    entry.kind === 'events'
      ? { ...entry, events: entry.events.map((e) => ({ ...e, label: label(e.contactId) })) }
      : { ...entry, label: label(entry.contactId) },
  )
}

/**
 * A fired alert's message in the reader's language, rebuilt from the workspace's current rule
 * (views/alert-text.ts); the stored English message when the rule cannot be read.
 */
async function translated(deps: LiveDeps, f: Fmt, workspaceId: string, entry: LiveEntry) {
  if (entry.kind !== 'alert' || !deps.store.getLifecycleSettings) return entry
  const settings = await deps.store.getLifecycleSettings(workspaceId).catch(() => null)
  if (!settings) return entry
  const message = alertText(f, settings.alertRules, {
    ruleId: entry.ruleId,
    kind: entry.alertKind,
    value: entry.value,
    message: entry.message,
  })
  return { ...entry, message }
}

/**
 * The live feed for the dashboard's Live page, authenticated by the session cookie (EventSource
 * cannot send an Authorization header, and the secret key must not go in the URL).
 */
export function dashboardLiveStream(deps: LiveDeps) {
  return (c: Context<DashboardEnv>) => {
    const workspaceId = c.var.session.workspace.id
    admitSubscriber(deps.live?.subscribers(workspaceId) ?? 0, deps.liveStream)
    const lastEventId = lastEventIdOf(c)
    return streamSSE(c, (stream) =>
      serveSubscriber(stream, {
        subscribe: (listener) =>
          deps.live?.open(workspaceId, listener, lastEventId) ?? {
            stop: () => {},
            start: { kind: 'fresh' },
          },
        ready: { at: deps.clock.now().toISOString(), live: Boolean(deps.live) },
        // Sized as /v1/stream would write it: the label and translation come when it is sent.
        accept: (entry, id) => ({ item: { entry, id }, size: entryText(entry, id).length }),
        render: async (items) => {
          // One line per visit: its score and grade changes ride on its events entry.
          const folded = foldVisits(items)
          const translatedEntries: LiveEntry[] = []
          for (const { entry } of folded)
            translatedEntries.push(await translated(deps, c.var.fmt, workspaceId, entry))
          const out = await labelled(deps, workspaceId, translatedEntries)
          // The bytes of one writeSSE per entry, in one write; the ids let EventSource resume.
          return out.map((entry, i) => sseText(sseEvent(entry), entry, folded[i]!.id)).join('')
        },
        cut: cutConnection(c),
        onDrop: (dropped) =>
          deps.log?.('live stream: a subscriber that stopped reading was dropped', {
            route: '/app/live/stream',
            workspace: workspaceId,
            dropped,
          }),
        limits: deps.liveStream,
      }),
    )
  }
}
