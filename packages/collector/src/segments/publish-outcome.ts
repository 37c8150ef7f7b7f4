import type { AppDeps } from '../deps.js'
import { publishChanges } from '../live/publish.js'
import { alertEntries } from '../routes/lifecycle-ingest.js'
import type { SweepOutcome } from './port.js'
import { segmentEntries } from './live.js'

/** Publishes what a committed sweep or list change did: score changes, alerts, segment moves. */
export async function publishOutcome(deps: Pick<AppDeps, 'live'>, outcome: SweepOutcome) {
  await publishChanges(deps, outcome.workspaceId, outcome.changes, [
    ...alertEntries(outcome.alerts),
    ...segmentEntries(outcome.transitions),
  ])
}
