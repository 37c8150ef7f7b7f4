import type { EnrichedEvent } from '../ports.js'
import type { LiveEntry } from '../live/feed.js'

/**
 * Log mode (docs/scaling.md): collectors append validated, enriched events to a durable,
 * replicated, partitioned log and acknowledge once the log has; `lodestone process` workers
 * commit them to the store in batches.
 */
export interface EventLog {
  /**
   * Appends a workspace's events, each deduplicated by (workspace, messageId) within the log's
   * window; resolves once the log durably holds every one. Returns the ones it already had.
   */
  append(workspaceId: string, events: EnrichedEvent[]): Promise<{ duplicateIds: string[] }>
  /**
   * Starts waiting (before the append, so no commit is missed) for processors to commit these
   * messageIds: `done` is true once all not `skip`ped were, false after `timeoutMs`.
   */
  expectProcessed(
    workspaceId: string,
    messageIds: string[],
    timeoutMs: number,
  ): { done: Promise<boolean>; skip(messageIds: string[]): void }
  /** Live entries committed by processors, as they arrive (for this process's stream clients). */
  onCommitted(listener: (workspaceId: string, entries: LiveEntry[]) => void): void
  close(): Promise<void>
}
