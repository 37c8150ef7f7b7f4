import { hotStateCommandError, hotStateUnavailable } from '../../hot-state/errors.js'

// Redis answers a refused command with an error reply (ReplyError) whose first word is its
// kind. The cluster's own "not now" replies are outages, as is anything that is not a reply
// (closed connections, no reachable node, our deadline): those only send callers to their
// fallback (hot-state/resilient.ts).
const COMMAND_ERROR = /^(ERR|WRONGTYPE|EXECABORT|NOSCRIPT)\b/
const CLUSTER_NOT_NOW = /^(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|MOVED|ASK)\b/

/** Maps whatever ioredis threw to a CollectorError with a clear message. */
export function toHotStateError(err: unknown, what: string): Error {
  // A transaction whose queued command was refused ends in EXECABORT; the refusal itself
  // (CLUSTERDOWN during a failover, or a real command error) says what happened. A dropped
  // connection fails every command with one error object, so the list can hold the error itself.
  const previous = (err as { previousErrors?: unknown[] } | null)?.previousErrors
  const cause = Array.isArray(previous) ? previous.find((e) => e !== err) : undefined
  return classify(cause ?? err, what)
}

function classify(err: unknown, what: string): Error {
  const text = err instanceof Error ? err.message : String(err)
  const name = err instanceof Error ? err.name : ''
  if (name === 'ReplyError' && COMMAND_ERROR.test(text) && !CLUSTER_NOT_NOW.test(text)) {
    return hotStateCommandError(`${what}: ${firstLine(text)}`, err)
  }
  return hotStateUnavailable(`${what}: ${firstLine(text) || name || 'request failed'}`, err)
}

/**
 * One line of an ioredis message for logs and errors: no command arguments (ioredis puts none
 * in its messages) and no node addresses (`connect ECONNREFUSED 10.0.0.7:7000` → `connect
 * ECONNREFUSED <node>`), so the log scan for IP addresses (test/support/pii.ts)
 * stays clean and logs say the same thing whichever node failed.
 */
export function firstLine(text: string): string {
  return text
    .split('\n', 1)[0]!
    .slice(0, 200)
    .replace(/\[?[0-9a-fA-F:]*:[0-9a-fA-F:.]+\]?:\d+|\d{1,3}(\.\d{1,3}){3}(:\d+)?/g, '<node>')
}
