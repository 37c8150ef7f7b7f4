import type { PostgresStore } from '../postgres/store.js'
import { createAudienceStore } from '../postgres/segments-store.js'
import { createListsStore } from '../postgres/lists-store.js'
import { createAudienceReads } from '../postgres/segments-dashboard-reads.js'
import type { AudienceReads } from '../../segments/dashboard-port.js'
import type { AudiencePort } from '../../segments/port.js'
import type { ListsPort } from '../../lists/port.js'
import { routeByWorkspace, routedAudience, routedLists } from './router.js'
import { routingOf } from './open.js'

/** One database and its ports: background work (webhooks, time sweep, scans) runs per database. */
export interface Database {
  name: string
  store: PostgresStore
  segments: AudiencePort
}

/**
 * The segments and lists ports of a store, routed by workspace when it spans shards, and each
 * database with its own, for the background workers that run once per database.
 */
export function openAudiencePorts(store: PostgresStore): {
  segments: AudiencePort
  lists: ListsPort
  /** The dashboard's segment previews and account rankings. */
  audienceReads: AudienceReads
  databases: Database[]
} {
  const routing = routingOf(store)
  const shards = routing?.shards ?? [{ name: 'default', store }]
  const databases = shards.map((s) => ({ ...s, segments: createAudienceStore(s.store.sql) }))
  const lists = shards.map((s) => createListsStore(s.store.sql))
  const reads = shards.map((s) => createAudienceReads(s.store.sql))
  if (!routing) {
    return {
      segments: databases[0]!.segments,
      lists: lists[0]!,
      audienceReads: reads[0]!,
      databases,
    }
  }
  return {
    segments: routedAudience(
      databases.map((d) => d.segments),
      routing.run,
    ),
    lists: routedLists(lists, routing.run),
    audienceReads: routeByWorkspace(reads, routing.run, {}),
    databases,
  }
}
