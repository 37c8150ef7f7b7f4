import * as init from './0001-init.js'
import * as scoring from './0002-scoring.js'
import * as subscriptions from './0003-subscriptions.js'
import * as webhooks from './0004-webhooks.js'
import * as lifecycle from './0005-lifecycle.js'
import * as team from './0006-team.js'
import * as segments from './0007-segments.js'
import * as dashboard from './0008-dashboard.js'
import * as reports from './0009-reports.js'
import * as dashboardUx from './0012-dashboard-ux.js'
import * as dashboardIndexes from './0013-dashboard-indexes.js'
import * as segmentsContactIndex from './0014-segments-contact-index.js'
import * as dashboardSnapshots from './0015-dashboard-snapshots.js'
import * as defaultsSweeps from './0016-defaults-sweeps.js'
import * as shardMove from './0017-shard-move.js'
import * as segmentMembersLean from './0018-segment-members-lean.js'
import * as eventsNoWorkspaceFk from './0019-events-no-workspace-fk.js'

/**
 * Versioned migrations, applied in order, each once, inside a transaction. SQL lives in TS
 * modules rather than .sql files so the core bundles for runtimes without a file system.
 * Never edit a released migration: add the next one.
 */
export const MIGRATIONS: { version: string; up: string }[] = [
  { version: '0001-init', up: init.up },
  { version: '0002-scoring', up: scoring.up },
  { version: '0003-subscriptions', up: subscriptions.up },
  { version: '0004-webhooks', up: webhooks.up },
  { version: '0005-lifecycle', up: lifecycle.up },
  { version: '0006-team', up: team.up },
  { version: '0007-segments', up: segments.up },
  { version: '0008-dashboard', up: dashboard.up },
  { version: '0009-reports', up: reports.up },
  { version: '0012-dashboard-ux', up: dashboardUx.up },
  { version: '0013-dashboard-indexes', up: dashboardIndexes.up },
  { version: '0014-segments-contact-index', up: segmentsContactIndex.up },
  { version: '0015-dashboard-snapshots', up: dashboardSnapshots.up },
  { version: '0016-defaults-sweeps', up: defaultsSweeps.up },
  { version: '0017-shard-move', up: shardMove.up },
  { version: '0018-segment-members-lean', up: segmentMembersLean.up },
  { version: '0019-events-no-workspace-fk', up: eventsNoWorkspaceFk.up },
]
