import { CollectorError } from '../errors.js'

/**
 * A write reached a shard that no longer holds the workspace, or holds it fenced while it is
 * moved to another (docs/scaling.md, "Moving a workspace"). Nothing was stored. The routing
 * store reads the map again and retries on the shard it names; past its patience the request
 * is answered 503 with Retry-After, so a client sends it again.
 */
export class WorkspaceMovedError extends CollectorError {
  constructor(readonly workspaceId: string) {
    super('store_unavailable', 'The workspace is being moved between databases; retry shortly', {
      retryAfterSeconds: 2,
    })
    this.name = 'WorkspaceMovedError'
  }
}
